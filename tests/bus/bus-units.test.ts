// The bus's pure parts: batch ids (JetStream's dedup key), batch framing, routing of step
// matches to partitions, and the --bus flag.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchId, decodeBatch, encodeBatch } from '../../src/bus/batch-message.ts';
import { BusError, parseBusUrl } from '../../src/bus/bus-options.ts';
import { partitionOf, planRoutes, routeMatch } from '../../src/bus/detect/route-matches.ts';
import { splitForPayload } from '../../src/bus/jetstream-spool.ts';
import type { StepMatch } from '../../src/engine/index.ts';

test('batchId() is the same for a retried batch and differs with any event or the cluster', () => {
  const a = { events: ['{"auditID":"1"}', '{"auditID":"2"}'], origin: 'a' };
  assert.equal(batchId(a), batchId({ ...a, origin: 'another replica' }), 'origin is not identity');
  assert.notEqual(batchId(a), batchId({ ...a, events: ['{"auditID":"1"}'] }));
  assert.notEqual(batchId(a), batchId({ ...a, cluster: 'prod' }));
  // The webhook's own bytes, when it kept them, are the same body: the same id.
  const text = a.events.join('\n');
  assert.equal(batchId({ ...a, payload: Buffer.from(text) }), batchId(a));
});

test('encodeBatch() and decodeBatch() keep events, origin, cluster and receive time', () => {
  const batch = { events: ['{"a":1}', '{"b":"é"}'], origin: '/k8s-audit 10.0.0.1', cluster: 'eu' };
  const { data, headers } = encodeBatch(batch, 1234);
  const back = decodeBatch({ data, headers, seq: 7 });
  assert.deepEqual(back, { ...batch, position: 7, receivedAt: 1234 });
  const kept = encodeBatch({ ...batch, events: ['{"a":1}'], payload: Buffer.from('{"a":1}') }, 1);
  assert.deepEqual(decodeBatch({ ...kept, seq: 2 }).events, ['{"a":1}']);
  const empty = encodeBatch({ events: [], origin: 'o' }, 1);
  assert.deepEqual(decodeBatch({ ...empty, seq: 1 }).events, []);
});

const BURST = { name: 'Burst', bySuppression: false };

function match(keys: string[][], over: Partial<StepMatch> = {}): StepMatch {
  return { rule: 0, step: 0, timeNs: '1', keys, alert: { pieces: [''], fields: {} }, ...over };
}

test('routeMatch() sends one group to one partition and splits a match under several keys', () => {
  const seen: [number, StepMatch][] = [];
  const out = (p: number, m: StepMatch) => seen.push([p, m]);
  routeMatch(match([['alice']]), BURST, 8, out);
  routeMatch(match([['alice']]), BURST, 8, out);
  assert.equal(seen[0]?.[0], seen[1]?.[0], 'same rule and key: same partition');
  assert.equal(seen[0]?.[0], partitionOf('Burst', undefined, ['alice'], 8));
  seen.length = 0;
  routeMatch(match([['10.0.0.1'], ['10.0.0.2']]), BURST, 8, out);
  assert.deepEqual(
    seen.map(([p, m]) => [p, m.keys]),
    [
      [partitionOf('Burst', undefined, ['10.0.0.1'], 8), [['10.0.0.1']]],
      [partitionOf('Burst', undefined, ['10.0.0.2'], 8), [['10.0.0.2']]],
    ],
  );
  // Suppression-only rules go by their suppression key; clusters never share a group.
  seen.length = 0;
  routeMatch(match([], { suppressKey: ['bob'] }), { name: 'Quiet', bySuppression: true }, 8, out);
  assert.equal(seen[0]?.[0], partitionOf('Quiet', undefined, ['bob'], 8));
  const spread = new Set<number>();
  for (let i = 0; i < 200; i++) spread.add(partitionOf('Burst', 'c', [`user-${i}`], 8));
  assert.equal(spread.size, 8, 'keys spread over every partition');
});

test('parseBusUrl() takes a comma-separated list of nats:// URLs and refuses anything else', () => {
  assert.deepEqual(parseBusUrl('nats://a:4222, nats://b:4222'), ['nats://a:4222', 'nats://b:4222']);
  for (const bad of ['', 'http://a:4222', 'nats://a:4222/x', 'a:4222']) {
    assert.throws(
      () => parseBusUrl(bad),
      (e: unknown) => e instanceof BusError && e.code === 'BUS_SPEC',
    );
  }
});

test('planRoutes() routes by the suppression key when a group determines it, else by the group', async () => {
  const { loadRules } = await import('../../src/rules/index.ts');
  const { createEngine } = await import('../../src/engine/index.ts');
  const { CORRELATION_CORPUS_RULES } = await import('../helpers/correlation-corpus.ts');
  const extra = `
- rule: Burst Quietly Per Namespace
  desc: suppression terms outside the group, suppressed per partition
  correlate:
    type: threshold
    count: 2
    within: 1m
    by: [ka.user.name]
    condition: ka.verb = get
  suppress:
    within: 5m
    by: [ka.target.namespace]
  output: "x"
  priority: INFO
  source: k8s_audit
`;
  const loaded = loadRules([{ name: 'r.yaml', content: CORRELATION_CORPUS_RULES + extra }]);
  assert.equal(loaded.ok, true);
  const engine = createEngine({ rules: loaded.rules, ruleMatching: 'all', hostname: 'h' });
  const plans = new Map(planRoutes(engine.statefulRules).map((p) => [p.name, p.bySuppression]));
  assert.deepEqual(Object.fromEntries(plans), {
    'Forbidden Burst': false,
    'Namespaces Touched': false,
    'Created Then Used': false,
    'Delete And Create': true,
    'Configmap Deleted': true,
    'Burst Quietly Per Namespace': false,
  });
  // Routed by suppression: one match, whole, to its suppression key's partition.
  const seen: [number, StepMatch][] = [];
  const m = match(
    [
      ['alice', 'ns1'],
      ['alice', 'ns2'],
    ],
    { suppressKey: ['alice'] },
  );
  routeMatch(m, { name: 'Delete And Create', bySuppression: true }, 8, (p, x) => seen.push([p, x]));
  assert.deepEqual(seen, [[partitionOf('Delete And Create', undefined, ['alice'], 8), m]]);
});

test('splitForPayload() cuts a batch over the limit between events, the same way every time', () => {
  const events = ['a'.repeat(40), 'b'.repeat(40), 'c'.repeat(40), 'd'.repeat(90)];
  const batch = { events, origin: 'o', cluster: 'c', payload: Buffer.from(events.join('\n')) };
  assert.deepEqual(splitForPayload(batch, 1000), [batch], 'fits: one part, payload kept');
  const parts = splitForPayload(batch, 100);
  assert.deepEqual(
    parts.map((p) => p.events.map((e) => e[0]).join('')),
    ['ab', 'c', 'd'],
  );
  for (const p of parts) {
    assert.equal(p.payload, undefined, 'a part is re-encoded from its events');
    assert.equal(p.cluster, 'c');
  }
  assert.deepEqual(
    splitForPayload(batch, 100).map((p) => batchId(p)),
    parts.map((p) => batchId(p)),
  );
});
