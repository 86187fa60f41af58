import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createRng } from '../../bench/gen/prng.ts';
import { readPolicy } from '../../src/policy/read.ts';
import { countRejected, createLogReadStats, readAuditLogs } from '../../src/policy/read-log.ts';
import { simulatePolicy } from '../../src/policy/simulate.ts';

const POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived"]
rules:
  - level: None
    nonResourceURLs: ["/healthz*"]
  - level: Metadata
    resources:
      - group: ""
        resources: ["secrets"]
  - level: Request
    verbs: ["create", "update"]
  - level: Metadata
`;

type Ev = Record<string, unknown>;
const LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'];

function generateEvents(n: number): Ev[] {
  const rnd = createRng(42).next;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const out: Ev[] = [];
  for (let i = 0; i < n; i++) {
    const level = pick(['Metadata', 'Request', 'RequestResponse']);
    const ts = new Date(Date.UTC(2026, 0, 1, 0, 0, 0) + i * 1000).toISOString();
    const nonResource = rnd() < 0.15;
    const verb = nonResource ? 'get' : pick(['get', 'list', 'create', 'update', 'delete']);
    const ev: Ev = {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level,
      auditID: `id-${i}`,
      stage: rnd() < 0.2 ? 'RequestReceived' : 'ResponseComplete',
      requestURI: nonResource ? '/healthz?verbose=1' : '/api/v1/namespaces/default/things',
      verb,
      user: { username: pick(['alice', 'bob', 'system:serviceaccount:x:y']), groups: ['g'] },
      ...(nonResource
        ? {}
        : {
            objectRef: {
              resource: pick(['pods', 'secrets', 'configmaps']),
              namespace: 'default',
              apiVersion: 'v1',
            },
          }),
      stageTimestamp: ts,
    };
    if (level !== 'Metadata' && (verb === 'create' || verb === 'update')) {
      ev.requestObject = { kind: 'Thing', data: 'x'.repeat(Math.floor(rnd() * 200)), note: 'é' };
    }
    if (level === 'RequestResponse')
      ev.responseObject = { kind: 'Thing', items: [1, 2, 3].slice(0, Math.floor(rnd() * 3)) };
    out.push(ev);
  }
  return out;
}

/** The expected level for this test's POLICY, written out by hand. */
function expectedLevel(ev: Ev): string {
  const ref = ev.objectRef as { resource: string } | undefined;
  if (ref === undefined && String(ev.requestURI).startsWith('/healthz')) return 'None';
  if (ref?.resource === 'secrets') return 'Metadata';
  if (ev.verb === 'create' || ev.verb === 'update') return 'Request';
  return 'Metadata';
}

const dir = mkdtempSync(join(tmpdir(), 'kaudit-sim-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('simulatePolicy() gives exact per-level counts and bytes for a seeded log', async () => {
  const events = generateEvents(400);
  const path = join(dir, 'audit.log');
  writeFileSync(path, `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
  const byteLen = (s: string): number => new TextEncoder().encode(s).length;
  const want = {
    before: Object.fromEntries(LEVELS.map((l) => [l, { events: 0, bytes: 0 }])),
    after: Object.fromEntries(LEVELS.map((l) => [l, { events: 0, bytes: 0 }])),
    notJudgeable: { events: 0, bytes: 0 },
    omitted: 0,
  };
  for (const ev of events) {
    const size = byteLen(JSON.stringify(ev));
    const b = want.before[ev.level as string]!;
    b.events++;
    b.bytes += size;
    const level = expectedLevel(ev);
    if (LEVELS.indexOf(level) > LEVELS.indexOf(ev.level as string)) {
      want.notJudgeable.events++;
      want.notJudgeable.bytes += size;
    } else if (level === 'None') {
      want.after.None!.events++;
    } else if (ev.stage === 'RequestReceived') {
      want.omitted++;
    } else {
      const copy: Ev = { ...ev, level };
      if (level === 'Metadata') delete copy.requestObject;
      if (level !== 'RequestResponse') delete copy.responseObject;
      const a = want.after[level]!;
      a.events++;
      a.bytes += byteLen(JSON.stringify(copy));
    }
  }
  const r = readPolicy(POLICY, 'p.yaml');
  assert.ok(r.ok && r.policy);
  const stats = createLogReadStats();
  const report = await simulatePolicy(r.policy, readAuditLogs([path], stats));
  assert.equal(countRejected(stats), 0);
  for (const l of LEVELS) {
    assert.deepEqual(report.before.byLevel[l as 'None'], want.before[l], `before ${l}`);
    assert.deepEqual(report.after.byLevel[l as 'None'], want.after[l], `after ${l}`);
  }
  assert.deepEqual(report.notJudgeable, want.notJudgeable);
  assert.equal(report.omittedStage.events, want.omitted);
  assert.equal(report.before.total.events, 400);
  // 400 events one second apart: a span of 399 s.
  assert.equal(report.spanSeconds, 399);
  assert.equal(report.perDayFactor, 86400 / 399);
  for (const l of ['Metadata', 'Request']) assert.ok(want.after[l]!.events > 0, `no ${l} events`);
  assert.ok(want.notJudgeable.events > 0 && want.omitted > 0 && want.after.None!.events > 0);
  const ruleEvents = report.byRule.reduce((s, v) => s + v.before.events, 0);
  assert.equal(ruleEvents, 400);
});

test('readAuditLogs() sizes EventList items by their JSON and counts bad lines', async () => {
  const events = generateEvents(3);
  const path = join(dir, 'mixed.log');
  const list = JSON.stringify({
    kind: 'EventList',
    apiVersion: 'audit.k8s.io/v1',
    items: events.slice(0, 2),
  });
  writeFileSync(path, `${list}\nnot json\n${JSON.stringify(events[2])}\n`);
  const stats = createLogReadStats();
  const got = [];
  for await (const e of readAuditLogs([path], stats)) got.push(e);
  const size = (v: unknown): number => new TextEncoder().encode(JSON.stringify(v)).length;
  assert.deepEqual(
    got.map((e) => [e.line, e.bytes]),
    [
      [1, size(events[0])],
      [1, size(events[1])],
      [3, size(events[2])],
    ],
  );
  assert.equal(countRejected(stats), 1);
  assert.equal(stats.firstReject?.line, 2);
});
