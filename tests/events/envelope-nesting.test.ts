import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDecoder, type RejectInfo } from '../../src/events/index.ts';
import { auditEvent } from '../helpers/events.ts';

// Protects the envelope nesting bound in src/events/decode.ts: an envelope's text may hold
// another envelope (a GELF message inside a CloudWatch message), but each level is one more
// JSON parse of an ever more escaped string, so past four levels a line is not an event.
const WRAP: Record<string, (text: string) => unknown> = {
  'EKS message': (t) => ({ message: t }),
  'CloudWatch logEvents': (t) => ({ logEvents: [{ id: '1', timestamp: 1, message: t }] }),
  'AKS records': (t) => ({ records: [{ category: 'kube-audit', properties: { log: t } }] }),
  'GELF short_message': (t) => ({ short_message: `app> ${t}` }),
};

function wrapped(kinds: readonly string[]): string {
  let v: unknown = auditEvent();
  for (const k of kinds) v = (WRAP[k] as (t: string) => unknown)(JSON.stringify(v));
  return JSON.stringify(v);
}

function decode(line: string): { events: number; rejects: RejectInfo[] } {
  const rejects: RejectInfo[] = [];
  const decoder = createDecoder({ onReject: (r) => rejects.push(r) });
  return { events: decoder.decodeLine(line, 'nested.log', 3).length, rejects };
}

for (const kind of Object.keys(WRAP)) {
  test(`${kind}: four levels of envelopes decode, five and six are rejected`, () => {
    for (const levels of [1, 2, 3, 4]) {
      const r = decode(wrapped(Array(levels).fill(kind)));
      assert.deepEqual([r.events, r.rejects.length], [1, 0], `${levels} levels`);
    }
    for (const levels of [5, 6]) {
      const r = decode(wrapped(Array(levels).fill(kind)));
      assert.equal(r.events, 0, `${levels} levels`);
      assert.deepEqual(
        r.rejects.map((x) => [x.reason, x.line]),
        [['not_audit_event', 3]],
      );
    }
  });
}

test('the bound counts envelopes of different kinds together', () => {
  const kinds = Object.keys(WRAP);
  assert.equal(decode(wrapped(kinds)).events, 1, 'four different envelopes');
  assert.equal(decode(wrapped([...kinds, 'EKS message'])).events, 0, 'five');
});
