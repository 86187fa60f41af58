import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Alert } from '../../src/engine/index.ts';
import { formatAlertJson, formatIsoTimeNs, formatLineTimeNs } from '../../src/outputs/index.ts';

// The reference: BigInt arithmetic and a fresh Date per call, as Falco's formatting reads.
function reference(timeNs: string): { iso: string; line: string; isoLine: string } {
  let ns: bigint;
  try {
    ns = BigInt(timeNs);
  } catch {
    ns = 0n;
  }
  const s = ns / 1_000_000_000n;
  const rem = ns % 1_000_000_000n;
  const frac = String(rem < 0n ? -rem : rem).padStart(9, '0');
  const d = new Date(Number(s) * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  const isoSec = d.toISOString().slice(0, 19);
  return {
    iso: `${isoSec}.${frac}Z`,
    isoLine: `${isoSec}.${frac}+0000`,
    line: `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${frac}`,
  };
}

test('alert times match the BigInt reference, in order, out of order and at odd values', () => {
  const ns = fc.oneof(
    fc.bigInt({ min: 0n, max: 9_999_999_999_999_999_999n }).map(String),
    fc.bigInt({ min: -5_000_000_000_000_000_000n, max: 0n }).map(String),
    fc.constantFrom('0', '7', '999999999', '1000000000', '1540475929736141000', 'junk', ''),
  );
  fc.assert(
    fc.property(fc.array(ns, { maxLength: 20 }), (times) => {
      for (const t of times) {
        const want = reference(t);
        assert.equal(formatIsoTimeNs(t), want.iso, t);
        assert.equal(formatLineTimeNs(t), want.line, t);
        assert.equal(formatLineTimeNs(t, true), want.isoLine, t);
      }
    }),
  );
  // Consecutive alerts of one second, then the next second: the kept second is renewed.
  assert.equal(formatIsoTimeNs('1540475929000000001'), '2018-10-25T13:58:49.000000001Z');
  assert.equal(formatIsoTimeNs('1540475929999999999'), '2018-10-25T13:58:49.999999999Z');
  assert.equal(formatIsoTimeNs('1540475930000000000'), '2018-10-25T13:58:50.000000000Z');
});

function alert(fields: Record<string, string | null>, timeNs = '1540475929736141000'): Alert {
  return {
    rule: 'R',
    priority: 'Warning',
    source: 'k8s_audit',
    tags: [],
    message: 'm',
    hostname: 'h',
    timeNs,
    outputFields: fields,
  } as unknown as Alert;
}

test('output_fields keys are sorted and evt.time comes first as an integer, for every key set', () => {
  const a = JSON.parse(formatAlertJson(alert({ 'ka.verb': 'get', 'ka.user.name': 'bob' })));
  assert.deepEqual(Object.keys(a.output_fields), ['evt.time', 'ka.user.name', 'ka.verb']);
  assert.equal(a.output_fields['evt.time'], 1540475929736141000);
  // Another key set after the first (the order is kept per set, not shared).
  const b = JSON.parse(formatAlertJson(alert({ 'ka.verb': 'get', 'a.b': null })));
  assert.deepEqual(Object.keys(b.output_fields), ['a.b', 'evt.time', 'ka.verb']);
  assert.equal(b.output_fields['a.b'], null);
  // A key that needs escaping, and the iso time key.
  const c = formatAlertJson(alert({ 'x"y': 'v' }), { isoTime: true });
  assert.match(c, /"output_fields":\{"evt\.time\.iso8601":1540475929736141000,"x\\"y":"v"\}/);
  // A time that is not an integer string is written as 0, never as raw text.
  assert.match(formatAlertJson(alert({}, '12x')), /"evt\.time":0\}/);
});
