import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createRng, type Rng } from '../../bench/gen/prng.ts';
import { runKaudit } from '../helpers/cli.ts';

/**
 * Differential test of `--since/--until`, `--sort time`, `--reverse`, `--limit` and
 * `--final` against a plain reference: requests from three apiservers (each its own
 * log, as in an HA control plane), every stage of each request written, times known as
 * nanoseconds when generated and written as RFC 3339 (a few with a +02:00 offset).
 */

interface Gen {
  readonly id: string;
  readonly stage: string;
  readonly ns: bigint;
  readonly file: number;
}

const START_MS = Date.UTC(2026, 2, 2, 10, 0, 0);
const LONG_RUNNING = ['exec', 'attach', 'portforward'];

/** RFC 3339 of `ns` with microseconds, in UTC or at +02:00; written without kaudit code. */
function rfc3339(ns: bigint, plus2: boolean): string {
  const ms = Number(ns / 1_000_000n);
  const micros = String((ns / 1000n) % 1_000_000n).padStart(6, '0');
  if (!plus2) return `${new Date(ms).toISOString().slice(0, 19)}.${micros}Z`;
  return `${new Date(ms + 7_200_000).toISOString().slice(0, 19)}.${micros}+02:00`;
}

function generate(rng: Rng, requests: number): { events: Gen[]; lines: string[][] } {
  const events: Gen[] = [];
  const lines: string[][] = [[], [], []];
  const perFile: { g: Gen; text: string }[][] = [[], [], []];
  for (let i = 0; i < requests; i++) {
    const id = `req-${String(i).padStart(5, '0')}`;
    const file = rng.int(3);
    const sub = rng.next() < 0.1 ? rng.pick(LONG_RUNNING) : undefined;
    // Microsecond times over two hours; collisions happen and keep their input order.
    let us = BigInt(START_MS) * 1000n + BigInt(rng.int(7_200_000)) * 1000n + BigInt(rng.int(3));
    const stages = sub
      ? ['RequestReceived', 'ResponseStarted', 'ResponseComplete']
      : ['RequestReceived', 'ResponseComplete'];
    if (!sub && rng.next() < 0.02) stages[1] = 'Panic';
    for (const stage of stages) {
      const g: Gen = { id, stage, ns: us * 1000n, file };
      const ev = {
        kind: 'Event',
        apiVersion: 'audit.k8s.io/v1',
        level: 'Metadata',
        auditID: id,
        stage,
        requestURI: `/api/v1/namespaces/ns${i % 4}/pods/p${i}${sub ? `/${sub}` : ''}`,
        verb: sub ? 'create' : rng.pick(['get', 'list', 'delete']),
        user: { username: rng.pick(['alice', 'bob']) },
        sourceIPs: ['10.0.0.1'],
        objectRef: {
          resource: 'pods',
          namespace: `ns${i % 4}`,
          name: `p${i}`,
          ...(sub ? { subresource: sub } : {}),
        },
        responseStatus: { metadata: {}, code: 200 },
        requestReceivedTimestamp: rfc3339(us * 1000n, false),
        stageTimestamp: rfc3339(g.ns, rng.next() < 0.05),
      };
      perFile[file]?.push({ g, text: JSON.stringify(ev) });
      us += BigInt(1 + rng.int(2_000_000));
    }
  }
  // Each apiserver writes roughly in time order; neighbours sometimes swap.
  for (const [f, list] of perFile.entries()) {
    list.sort((a, b) => (a.g.ns < b.g.ns ? -1 : a.g.ns > b.g.ns ? 1 : 0));
    for (let i = 1; i < list.length; i++) {
      if (rng.next() < 0.05)
        list.splice(i - 1, 2, list[i] as (typeof list)[0], list[i - 1] as (typeof list)[0]);
    }
    for (const e of list) {
      events.push(e.g);
      lines[f]?.push(e.text);
    }
  }
  return { events, lines };
}

/** The reference: filter, keep each request's last stage, stable sort, reverse, limit. */
function reference(
  events: readonly Gen[],
  o: {
    since?: bigint;
    until?: bigint;
    final?: boolean;
    sort?: boolean;
    reverse?: boolean;
    limit?: number;
  },
): string[] {
  let out = events.filter(
    (e) => (o.since === undefined || e.ns >= o.since) && (o.until === undefined || e.ns < o.until),
  );
  if (o.final) {
    // The stage the request ended on: the latest one it has, but ResponseStarted for a
    // long-running request (its ResponseComplete closes the session, not the request).
    const rank = (e: Gen): number => {
      const long = events.some((x) => x.id === e.id && x.stage === 'ResponseStarted');
      if (long) return e.stage === 'ResponseStarted' || e.stage === 'Panic' ? 1 : 0;
      return e.stage === 'ResponseComplete' || e.stage === 'Panic' ? 1 : 0;
    };
    out = out.filter((e) => rank(e) === 1);
  }
  if (o.sort) {
    out = out
      .map((e, i) => ({ e, i }))
      .sort((a, b) => (a.e.ns < b.e.ns ? -1 : a.e.ns > b.e.ns ? 1 : a.i - b.i))
      .map((x) => x.e);
    if (o.reverse) out.reverse();
  }
  if (o.limit !== undefined) out = out.slice(0, o.limit);
  return out.map((e) => `${e.id} ${e.stage}`);
}

const rng = createRng(16);
const { events, lines } = generate(rng, 1500);
const dir = mkdtempSync(join(tmpdir(), 'kaudit-query-time-'));
const files = lines.map((l, i) => {
  const p = join(dir, `apiserver-${i}.log`);
  writeFileSync(p, `${l.join('\n')}\n`);
  return p;
});

function query(args: readonly string[]): string[] {
  const r = runKaudit([
    'query',
    'ka.verb exists',
    ...files,
    '-o',
    '%ka.auditid %ka.stage',
    ...args,
  ]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.split('\n').filter((l) => l !== '');
}

const nsAt = (minutes: number): bigint =>
  (BigInt(START_MS) + BigInt(minutes * 60_000)) * 1_000_000n;

test('the generated logs are what the differential cases need', () => {
  assert.ok(events.length > 3000, `${events.length} events`);
  assert.ok(events.some((e) => e.stage === 'ResponseStarted'));
  assert.deepEqual(query([]), reference(events, {}), 'the inputs are read in order, unfiltered');
});

test('--sort time merges the three logs into time order; ties keep input order', () => {
  assert.deepEqual(query(['--sort', 'time']), reference(events, { sort: true }));
  assert.deepEqual(
    query(['--sort', 'time', '--reverse']),
    reference(events, { sort: true, reverse: true }),
  );
});

test('--limit applies after sorting (the earliest, or newest, n of all inputs)', () => {
  assert.deepEqual(
    query(['--sort', 'time', '--limit', '50']),
    reference(events, { sort: true, limit: 50 }),
  );
  assert.deepEqual(
    query(['--sort', 'time', '--reverse', '--limit', '7']),
    reference(events, { sort: true, reverse: true, limit: 7 }),
  );
});

test('--since/--until take RFC 3339 times in any offset: [since, until)', () => {
  // 10:30Z written as 12:30+02:00; 11:15:00.5Z.
  const got = query([
    '--since',
    '2026-03-02T12:30:00+02:00',
    '--until',
    '2026-03-02T11:15:00.5Z',
    '--sort',
    'time',
  ]);
  const want = reference(events, { since: nsAt(30), until: nsAt(75) + 500_000_000n, sort: true });
  assert.ok(want.length > 100);
  assert.deepEqual(got, want);
});

test('--since takes a duration back from --at', () => {
  const got = query(['--at', '2026-03-02T12:00:00Z', '--since', '1h30m', '--until', '45m']);
  assert.deepEqual(got, reference(events, { since: nsAt(30), until: nsAt(75) }));
});

test('--final keeps one event per request, its last stage', () => {
  const got = query(['--final']);
  const want = reference(events, { final: true });
  assert.equal(new Set(want.map((l) => l.split(' ')[0])).size, want.length, 'one per request');
  assert.deepEqual(got, want);
  assert.ok(
    got.some((l) => l.endsWith('ResponseStarted')),
    'exec/attach/portforward',
  );
});

test('all of them together, with and without the fast path', () => {
  const args = [
    '--final',
    '--since',
    '2026-03-02T10:20:00Z',
    '--until',
    '2026-03-02T11:40:00Z',
    '--sort',
    'time',
    '--reverse',
    '--limit',
    '300',
  ];
  const want = reference(events, {
    final: true,
    since: nsAt(20),
    until: nsAt(100),
    sort: true,
    reverse: true,
    limit: 300,
  });
  assert.deepEqual(query(args), want);
  assert.deepEqual(query([...args, '--no-fastpath']), want);
});

test('a time option that is neither a time nor a duration is a usage error', () => {
  const r = runKaudit(['query', 'ka.verb exists', files[0] as string, '--since', 'yesterday']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /'yesterday' is neither an RFC 3339 time/);
  assert.equal(runKaudit(['query', 'ka.verb exists', files[0] as string, '--reverse']).code, 2);
});
