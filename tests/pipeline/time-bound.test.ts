import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDurationNs, parseTimeBound, TimeBoundError } from '../../src/pipeline/index.ts';

const S = 1_000_000_000n;

test('parseDurationNs() reads s, m, h, d and their sums', () => {
  assert.equal(parseDurationNs('90s'), 90n * S);
  assert.equal(parseDurationNs('30m'), 1800n * S);
  assert.equal(parseDurationNs('1h30m'), 5400n * S);
  assert.equal(parseDurationNs('2d'), 172_800n * S);
  for (const bad of ['', '1', 'h', '1w', '-1h', '1.5h', '1h ', '1 h']) {
    assert.equal(parseDurationNs(bad), undefined, bad);
  }
});

test('parseTimeBound() counts a duration back from now, reads RFC 3339 in any offset', () => {
  const now = 10_000n * S;
  assert.equal(parseTimeBound('1h', now), 6400n * S);
  assert.equal(parseTimeBound(' 30m ', now), 8200n * S);
  // 1970-01-01T01:00:00+01:00 is the epoch itself.
  assert.equal(parseTimeBound('1970-01-01T01:00:00+01:00', now), 0n);
  assert.equal(parseTimeBound('1970-01-01T00:00:01.5Z', now), 1_500_000_000n);
  assert.throws(() => parseTimeBound('yesterday', now), TimeBoundError);
  assert.throws(() => parseTimeBound('2026-13-01T00:00:00Z', now), TimeBoundError);
});
