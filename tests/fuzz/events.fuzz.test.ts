import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { generateEvents } from '../../bench/generate.ts';
import type { Alert } from '../../src/engine/index.ts';
import { type AuditRecord, createDecoder, type RejectInfo } from '../../src/events/index.ts';
import { createLineSkipper } from '../../src/fastpath/index.ts';
import { defaultFieldRegistry } from '../../src/fields/index.ts';
import { compileCondition } from '../../src/lang/index.ts';
import { createDetector, type Detector, decodeLines } from '../../src/pipeline/index.ts';
import { compileQueryCondition, DEFAULT_RULES_PATH, loadRuleset } from '../../src/rules/index.ts';
import { type LineBatch, LineSplitter } from '../../src/sources/index.ts';
import { HAS_SHARED, sharedFixture } from '../helpers/shared.ts';

// Issue #11's fuzz suite over events (seeded, bounded in time): hostile lines built from
// realistic apiserver events (bench's generator, attacks included) by mutation — nulls,
// wrong types, deep nesting, oversize fields, control characters, invalid UTF-8 bytes,
// cut-off lines — in every shape the decoder reads (Event, EventList, arrays,
// AdmissionReview, EKS/AKS/GELF envelopes), fed through the real line splitter (small
// line limits too, so long lines are read unit by unit) and decoder. Asserted: nothing
// throws; no reject message carries a stack trace or a control character; no record is
// larger than the event size limit; the engine never hits an internal error; and the
// raw-line prefilter (scan) and literal filter (query) give exactly the alerts and
// matches of the full parse.

const SEED = 20261211;
const corpus = [...generateEvents({ mix: 'busy', events: 400, seed: 11, attackShare: 0.3 })].map(
  (l) => JSON.parse(l) as Record<string, unknown>,
);

type Obj = Record<string, unknown>;

/** Where a mutation may land: the members rules and the prefilter read, and bodies. */
const PATHS: readonly (readonly string[])[] = [
  ['verb'],
  ['stage'],
  ['level'],
  ['auditID'],
  ['requestURI'],
  ['user'],
  ['user', 'username'],
  ['user', 'groups'],
  ['impersonatedUser'],
  ['sourceIPs'],
  ['userAgent'],
  ['objectRef'],
  ['objectRef', 'resource'],
  ['objectRef', 'namespace'],
  ['objectRef', 'name'],
  ['objectRef', 'subresource'],
  ['responseStatus'],
  ['responseStatus', 'code'],
  ['requestObject'],
  ['requestObject', 'spec'],
  ['responseObject'],
  ['annotations'],
  ['stageTimestamp'],
  ['kind'],
];

const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(
    '\n00:00:00.000000000: Critical forged',
    '\u001b[31mred',
    '\u2028\u2029',
    '\ud800',
    'admin',
    'system:anonymous',
    'cluster-admin',
    'secrets',
    'exec',
    '',
  ),
);

const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('a', 'kind', 'spec', '__proto__'), hostileString, { maxKeys: 3 }),
);

type Mutation =
  | { readonly op: 'set'; readonly path: readonly string[]; readonly value: unknown }
  | { readonly op: 'delete'; readonly path: readonly string[] }
  | { readonly op: 'deep'; readonly depth: number }
  | { readonly op: 'big'; readonly path: readonly string[]; readonly bytes: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('set' as const),
      path: fc.constantFrom(...PATHS),
      value,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('delete' as const), path: fc.constantFrom(...PATHS) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('deep' as const),
      depth: fc.integer({ min: 1, max: 1500 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('big' as const),
      path: fc.constantFrom(['requestObject'], ['responseObject'], ['requestURI'], ['annotations']),
      bytes: fc.integer({ min: 1000, max: 40_000 }),
    }),
  },
);

function applyMutation(ev: Obj, m: Mutation): void {
  if (m.op === 'deep') {
    let v: unknown = 'bottom';
    for (let i = 0; i < m.depth; i++) v = i % 2 === 0 ? { d: v } : [v];
    ev.requestObject = v;
    return;
  }
  const path = m.path;
  let o: unknown = ev;
  for (const k of path.slice(0, -1)) {
    if (typeof o !== 'object' || o === null) return;
    o = (o as Obj)[k];
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return;
  const last = path[path.length - 1] as string;
  if (m.op === 'delete') delete (o as Obj)[last];
  else if (m.op === 'set') (o as Obj)[last] = m.value;
  else
    (o as Obj)[last] =
      last === 'requestURI' ? `/${'u'.repeat(m.bytes)}` : { blob: 'b'.repeat(m.bytes) };
}

const SHAPES = [
  'event',
  'event',
  'event',
  'list',
  'array',
  'admission',
  'eks',
  'aks',
  'gelf',
] as const;

/** The event text in one of the shapes the decoder reads. */
function shaped(events: readonly Obj[], shape: (typeof SHAPES)[number]): string {
  const one = events[0] as Obj;
  switch (shape) {
    case 'event':
      return JSON.stringify(one);
    case 'list':
      return JSON.stringify({
        kind: 'EventList',
        apiVersion: 'audit.k8s.io/v1',
        items: events.map(({ kind: _k, apiVersion: _a, ...item }) => item),
      });
    case 'array':
      return JSON.stringify(events);
    case 'admission':
      return JSON.stringify({
        kind: 'AdmissionReview',
        apiVersion: 'admission.k8s.io/v1',
        requestReceivedTimestamp: one.stageTimestamp,
        request: {
          uid: one.auditID,
          operation: typeof one.verb === 'string' ? one.verb.toUpperCase() : one.verb,
          userInfo: one.user,
          resource: { resource: (one.objectRef as Obj | undefined)?.resource },
          object: one.requestObject,
        },
      });
    case 'eks':
      return JSON.stringify({ logEvents: events.map((e) => ({ message: JSON.stringify(e) })) });
    case 'aks':
      return JSON.stringify({
        records: events.map((e) => ({ properties: { log: JSON.stringify(e) } })),
      });
    case 'gelf':
      return JSON.stringify({ short_message: `app-1> ${JSON.stringify(one)}` });
  }
}

const line = fc
  .record({
    picks: fc.array(fc.nat(corpus.length - 1), { minLength: 1, maxLength: 4 }),
    mutations: fc.array(mutation, { maxLength: 3 }),
    shape: fc.constantFrom(...SHAPES),
    spaced: fc.boolean(),
    // Now and then a line is cut off, or a byte in it is not UTF-8.
    cut: fc.oneof(
      { weight: 9, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
    ),
    badBytes: fc.oneof(
      { weight: 6, arbitrary: fc.constant([]) },
      {
        weight: 1,
        arbitrary: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 2 }),
      },
    ),
  })
  .map((l) => {
    const events = l.picks.map((i) => structuredClone(corpus[i] as Obj));
    for (const m of l.mutations) applyMutation(events[0] as Obj, m);
    let text = shaped(events, l.shape);
    if (l.spaced && l.shape === 'event')
      text = JSON.stringify(JSON.parse(text), null, 1).replace(/\n/g, ' ');
    if (l.cut !== null) text = text.slice(0, Math.floor(text.length * l.cut));
    const bytes = Buffer.from(text);
    for (const at of l.badBytes) bytes[Math.floor(at * (bytes.length - 1))] = 0xff;
    return bytes;
  });

interface RunResult {
  readonly alerts: string[];
  readonly records: AuditRecord[];
  readonly rejects: RejectInfo[];
  readonly internalErrors: number;
}

// The built-in rules, and Falco's k8s_audit_rules.yaml (more fields) when ../shared is here.
const RULESETS: readonly (readonly string[])[] = HAS_SHARED
  ? [[DEFAULT_RULES_PATH], [sharedFixture('falco', 'rules', 'k8s_audit_rules.yaml')]]
  : [[DEFAULT_RULES_PATH]];

test('fuzz: hostile event lines never crash, stay bounded, and the prefilter agrees with the full parse', async () => {
  const config = { ruleMatching: 'all' as const, hostname: 'fuzz' };
  const detectors: { fast: Detector; full: Detector }[] = [];
  for (const rules of RULESETS) {
    const loaded = await loadRuleset({ rules: [...rules] });
    assert.equal(loaded.ok, true, rules.join());
    const fast = createDetector(loaded.rules, { ...config, fastpath: true });
    assert.ok(fast.skipLine, `${rules.join()} must be prefilterable`);
    detectors.push({ fast, full: createDetector(loaded.rules, { ...config, fastpath: false }) });
  }

  const run = (
    batches: readonly LineBatch[],
    detector: Detector,
    maxEventSize: number,
  ): RunResult => {
    const rejects: RejectInfo[] = [];
    const decoder = createDecoder({ maxEventSize, onReject: (r) => rejects.push(r) });
    const alerts: string[] = [];
    const records: AuditRecord[] = [];
    const before = detector.engine.internalErrors;
    for (const b of batches) {
      decodeLines(
        b.lines,
        b.origin,
        b.firstLine,
        decoder,
        detector.skipLine,
        (rec) => {
          records.push(rec);
          for (const a of detector.process(rec)) alerts.push(describe(a));
        },
        undefined,
        b.items,
      );
    }
    return { alerts, records, rejects, internalErrors: detector.engine.internalErrors - before };
  };

  let maxRss = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(line, { minLength: 1, maxLength: 12 }),
      fc.constantFrom(1024 * 1024, 16 * 1024, 2048),
      fc.constantFrom(262_144, 8192),
      async (lines, maxLineBytes, maxEventSize) => {
        const data = Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')]));
        const batches = splitLines(data, maxLineBytes);
        for (const b of batches)
          for (const l of b.lines) assert.ok(Buffer.byteLength(l) <= maxLineBytes);
        for (const d of detectors) {
          const a = run(batches, d.fast, maxEventSize);
          const b = run(batches, d.full, maxEventSize);
          assert.deepEqual(a.alerts, b.alerts, 'the prefilter changed the alerts');
          for (const r of [a, b]) {
            assert.equal(r.internalErrors, 0, 'an extractor threw');
            for (const j of r.rejects) {
              assert.doesNotMatch(j.message, /\n\s+at |[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
            }
          }
          for (const rec of b.records) {
            const size = Buffer.byteLength(JSON.stringify(rec.obj));
            assert.ok(size <= maxEventSize, 'record over the limit');
          }
        }
        maxRss = Math.max(maxRss, process.memoryUsage().rss);
      },
    ),
    // A hang guard, not a speed test: one case is at most a few hundred KB.
    { seed: SEED, numRuns: 300, timeout: 20_000, interruptAfterTimeLimit: 90_000 },
  );
  assert.ok(maxRss < 1.5 * 1024 ** 3, `RSS reached ${maxRss} bytes`);
});

test('fuzz: kaudit query matches the same events with and without its literal filter', async () => {
  const conditions = [
    'ka.verb=delete',
    'ka.user.name contains admin',
    'ka.target.resource in (secrets, configmaps) and ka.verb in (get, list)',
    'ka.target.subresource in (exec, attach)',
    'ka.req.pod.containers.privileged intersects (true)',
    'ka.response.code >= 400',
  ];
  const queries: {
    match: (r: AuditRecord) => boolean;
    skip: ((l: string) => boolean) | undefined;
  }[] = [];
  for (const c of conditions) {
    const q = await compileQueryCondition(c, [DEFAULT_RULES_PATH]);
    assert.ok(q.ok, c);
    const env = { registry: defaultFieldRegistry, source: q.query.source };
    queries.push({
      match: compileCondition(q.query.expr, env).fn,
      skip: createLineSkipper(
        [q.query.expr],
        { registry: defaultFieldRegistry, source: 'k8s_audit' },
        { literals: true },
      ),
    });
  }
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 12 }), (lines) => {
      const batches = splitLines(
        Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])),
        1 << 20,
      );
      for (const q of queries) {
        const count = (skip: ((l: string) => boolean) | undefined) => {
          const decoder = createDecoder();
          let n = 0;
          for (const b of batches) {
            decodeLines(
              b.lines,
              b.origin,
              b.firstLine,
              decoder,
              skip,
              (rec) => {
                if (rec.source === 'k8s_audit' && q.match(rec)) n++;
              },
              undefined,
              b.items,
            );
          }
          return n;
        };
        assert.equal(count(q.skip), count(undefined));
      }
    }),
    { seed: SEED + 1, numRuns: 150, interruptAfterTimeLimit: 60_000 },
  );
});

function splitLines(data: Buffer, maxLineBytes: number): LineBatch[] {
  const splitter = new LineSplitter('fuzz.log', maxLineBytes, () => {});
  const out: LineBatch[] = [];
  // Odd block sizes put lines and long-line units across block boundaries.
  for (let i = 0; i < data.length; i += 7919) {
    const b = splitter.push(data.subarray(i, i + 7919));
    if (b !== undefined) out.push(b);
  }
  const last = splitter.end();
  if (last !== undefined) out.push(last);
  return out;
}

function describe(a: Alert): string {
  return `${a.rule}|${a.message}|${JSON.stringify(a.outputFields)}|${a.tags.join(',')}`;
}
