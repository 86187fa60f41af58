import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CountsResponse } from '../../ui/src/api/types.ts';
import { cumulate, stackCounts } from '../../ui/src/lib/stack.ts';

const res: CountsResponse = {
  by: 'priority',
  bucketMs: 60_000,
  from: '2026-03-02T10:00:00Z',
  to: '2026-03-02T10:05:00Z',
  totals: [
    { key: 'Notice', count: 3 },
    { key: 'Critical', count: 1 },
    { key: 'Warning', count: 2 },
  ],
  buckets: [
    { t: '2026-03-02T10:01:00Z', counts: { Notice: 2, Warning: 1 } },
    { t: '2026-03-02T10:03:00Z', counts: { Notice: 1, Critical: 1, Warning: 1 } },
  ],
};

test('stackCounts() fills the empty buckets of the range with zeros', () => {
  const s = stackCounts(res);
  const t0 = Date.parse('2026-03-02T10:00:00Z') / 1000;
  assert.deepEqual(s.xs, [t0, t0 + 60, t0 + 120, t0 + 180, t0 + 240]);
  // Least severe at the bottom of the stack.
  assert.deepEqual(s.keys, ['Notice', 'Warning', 'Critical']);
  assert.deepEqual(s.counts, [
    [0, 2, 0, 1, 0],
    [0, 1, 0, 1, 0],
    [0, 0, 0, 1, 0],
  ]);
});

test('stackCounts() of an empty answer has no bars', () => {
  const s = stackCounts({ ...res, from: null, to: null, totals: [], buckets: [] });
  assert.deepEqual(s.xs, []);
});

test('stackCounts() bounds the number of buckets', () => {
  const s = stackCounts({ ...res, from: '2000-01-01T00:00:00Z', to: '2026-03-02T10:05:00Z' });
  assert.equal(s.xs.length, 2000);
  // The newest buckets are the ones kept.
  assert.equal(s.counts[0]?.at(-2), 1);
});

test('cumulate() gives each key the top edge of its part of the bar', () => {
  assert.deepEqual(
    cumulate([
      [1, 0, 2],
      [3, 1, 0],
    ]),
    [
      [1, 0, 2],
      [4, 1, 2],
    ],
  );
});
