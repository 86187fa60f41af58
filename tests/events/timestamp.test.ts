import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseTimestampNs } from '../../src/events/index.ts';

/** Independent oracle: Date.parse for whole seconds, the digits for the fraction. */
function oracle(wholeSecondsIso: string, fraction: string): string {
  const ms = BigInt(Date.parse(wholeSecondsIso));
  return (ms * 1_000_000n + BigInt(fraction.padEnd(9, '0').slice(0, 9))).toString();
}

test('parseTimestampNs() keeps nanoseconds exactly', () => {
  assert.equal(
    parseTimestampNs('2023-02-04T21:56:41.610688981Z'),
    oracle('2023-02-04T21:56:41Z', '610688981'),
  );
  assert.equal(parseTimestampNs('2023-02-04T21:56:41.610688981Z')?.endsWith('610688981'), true);
});

test('parseTimestampNs() accepts microseconds, no fraction and offsets', () => {
  assert.equal(
    parseTimestampNs('2018-10-25T13:58:49.736141Z'),
    oracle('2018-10-25T13:58:49Z', '736141'),
  );
  assert.equal(parseTimestampNs('2018-10-25T13:58:49Z'), oracle('2018-10-25T13:58:49Z', ''));
  assert.equal(
    parseTimestampNs('2018-10-25T15:58:49.5+02:00'),
    parseTimestampNs('2018-10-25T13:58:49.500Z'),
  );
  assert.equal(
    parseTimestampNs('2018-10-25T08:28:49-05:30'),
    parseTimestampNs('2018-10-25T13:58:49Z'),
  );
});

test('parseTimestampNs() drops digits past nanoseconds (as Go does)', () => {
  assert.equal(
    parseTimestampNs('2020-01-01T00:00:00.1234567891Z'),
    parseTimestampNs('2020-01-01T00:00:00.123456789Z'),
  );
});

test('parseTimestampNs() handles times before the epoch', () => {
  assert.equal(parseTimestampNs('1969-12-31T23:59:59.5Z'), '-500000000');
  assert.equal(parseTimestampNs('1970-01-01T00:00:00Z'), '0');
  assert.equal(parseTimestampNs('1970-01-01T00:00:00.000000001Z'), '1');
});

test('parseTimestampNs() rejects what RFC 3339 does not allow', () => {
  for (const bad of [
    '',
    'yesterday',
    '2018-10-25 13:58:49Z',
    '2018-10-25T13:58:49',
    '2018-13-01T00:00:00Z',
    '2019-02-29T00:00:00Z',
    '2018-10-32T00:00:00Z',
    '2018-10-25T24:00:00Z',
    '2018-10-25T13:60:00Z',
    '2018-10-25T13:58:60Z',
    '2018-10-25T13:58:49.Z',
    '2018-10-25T13:58:49+2:00',
    '2018-10-25T13:58:49Z ',
  ]) {
    assert.equal(parseTimestampNs(bad), undefined, bad);
  }
  assert.notEqual(parseTimestampNs('2020-02-29T00:00:00Z'), undefined);
});

test('parseTimestampNs() agrees with Date for any millisecond instant', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 }),
      fc.stringMatching(/^\d{6}$/),
      (ms, extra) => {
        const iso = new Date(ms).toISOString(); // ....sss Z
        const withNanos = iso.replace('Z', `${extra}Z`);
        const expected = (BigInt(ms) * 1_000_000n + BigInt(extra)).toString();
        assert.equal(parseTimestampNs(withNanos), expected);
      },
    ),
  );
});

test('parseTimestampNs() parses events within the same second independently', () => {
  const base = oracle('2026-11-02T10:15:30Z', '');
  const seq = [
    '2026-11-02T10:15:30.1Z',
    '2026-11-02T10:15:30.000000002Z',
    '2026-11-02T10:15:30Z',
    '2026-11-02T10:15:30.Z',
    '2026-11-02T10:15:30.12a4Z',
    '2026-11-02T10:15:30.5+01:00',
    '2026-11-02T10:15:30.123456789999Z',
  ];
  assert.deepEqual(
    seq.map((s) => parseTimestampNs(s)),
    [
      (BigInt(base) + 100_000_000n).toString(),
      (BigInt(base) + 2n).toString(),
      base,
      undefined,
      undefined,
      (BigInt(base) - 3_600_000_000_000n + 500_000_000n).toString(),
      (BigInt(base) + 123_456_789n).toString(),
    ],
  );
});
