// The bus's pure parts: batch ids (JetStream's dedup key), batch framing, routing of step
// matches to partitions, and the --bus flag.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchId, decodeBatch, encodeBatch } from '../../src/bus/batch-message.ts';
import { BusError, parseBusUrl } from '../../src/bus/bus-options.ts';
import { partitionOf, routeMatch } from '../../src/bus/detect/route-matches.ts';
import type { StepMatch } from '../../src/engine/index.ts';

test('batchId() is the same for a retried batch and differs with any event or the cluster', () => {
  const a = { events: ['{"auditID":"1"}', '{"auditID":"2"}'], origin: 'a' };
  assert.equal(batchId(a), batchId({ ...a, origin: 'another replica' }), 'origin is not identity');
  assert.notEqual(batchId(a), batchId({ ...a, events: ['{"auditID":"1"}'] }));
  assert.notEqual(batchId(a), batchId({ ...a, cluster: 'prod' }));
  // Framing: two events are not one event with a newline in it.
  assert.notEqual(
    batchId({ events: ['x', 'y'], origin: 'a' }),
    batchId({ events: ['x\ny'], origin: 'a' }),
  );
});

test('encodeBatch() and decodeBatch() keep events, origin, cluster and receive time', () => {
  const batch = { events: ['{"a":1}', '{"b":"é"}'], origin: '/k8s-audit 10.0.0.1', cluster: 'eu' };
  const { data, headers } = encodeBatch(batch, 1234);
  const back = decodeBatch({ data, headers, seq: 7 });
  assert.deepEqual(back, { ...batch, position: 7, receivedAt: 1234 });
  const empty = encodeBatch({ events: [], origin: 'o' }, 1);
  assert.deepEqual(decodeBatch({ ...empty, seq: 1 }).events, []);
});

function match(keys: string[][], over: Partial<StepMatch> = {}): StepMatch {
  return { rule: 0, step: 0, timeNs: '1', keys, alert: { pieces: [''], fields: {} }, ...over };
}

test('routeMatch() sends one group to one partition and splits a match under several keys', () => {
  const seen: [number, StepMatch][] = [];
  const out = (p: number, m: StepMatch) => seen.push([p, m]);
  routeMatch(match([['alice']]), 'Burst', 8, out);
  routeMatch(match([['alice']]), 'Burst', 8, out);
  assert.equal(seen[0]?.[0], seen[1]?.[0], 'same rule and key: same partition');
  assert.equal(seen[0]?.[0], partitionOf('Burst', undefined, ['alice'], 8));
  seen.length = 0;
  routeMatch(match([['10.0.0.1'], ['10.0.0.2']]), 'Burst', 8, out);
  assert.deepEqual(
    seen.map(([p, m]) => [p, m.keys]),
    [
      [partitionOf('Burst', undefined, ['10.0.0.1'], 8), [['10.0.0.1']]],
      [partitionOf('Burst', undefined, ['10.0.0.2'], 8), [['10.0.0.2']]],
    ],
  );
  // Suppression-only rules go by their suppression key; clusters never share a group.
  seen.length = 0;
  routeMatch(match([], { suppressKey: ['bob'] }), 'Quiet', 8, out);
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
