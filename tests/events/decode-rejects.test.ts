import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDecoder, type RejectInfo, type RejectReason } from '../../src/events/index.ts';
import { auditEvent } from '../helpers/events.ts';

const good = (): string => JSON.stringify(auditEvent());

/** Decodes good, bad, good, bad, good on lines 1..5 and returns what happened. */
function runStream(bad: string, opts: { maxDepth?: number } = {}) {
  const rejects: RejectInfo[] = [];
  const decoder = createDecoder({ ...opts, onReject: (r) => rejects.push(r) });
  const lines = [good(), bad, good(), bad, good()];
  const lineOf: number[] = [];
  lines.forEach((l, i) => {
    for (const r of decoder.decodeLine(l, 'in.log', i + 1)) lineOf.push(r.line ?? 0);
  });
  return { rejects, lineOf, stats: decoder.stats };
}

function assertRejected(bad: string, reason: RejectReason, opts: { maxDepth?: number } = {}) {
  const { rejects, lineOf, stats } = runStream(bad, opts);
  assert.deepEqual(lineOf, [1, 3, 5], 'good lines around the bad ones still decode');
  assert.equal(stats.rejected[reason], 2, `both bad lines counted as ${reason}`);
  assert.equal(rejects.length, 1, 'reported once per reason and origin');
  assert.equal(rejects[0]?.reason, reason);
  assert.equal(rejects[0]?.origin, 'in.log');
  assert.equal(rejects[0]?.line, 2);
  return rejects[0]!;
}

test('decodeLine() reports malformed JSON with line and column', () => {
  const r = assertRejected('{"kind":"Event",,}', 'invalid_json');
  assert.equal(r.column, 17);
});

test('decodeLine() gives a column for V8 errors that carry no position', () => {
  // V8 reports "Unexpected token '}'" with a snippet only; the '}' is column 6.
  assert.equal(assertRejected('{"a":}', 'invalid_json').column, 6);
  assert.equal(assertRejected('[1,2,]', 'invalid_json').column, 6);
  assert.equal(assertRejected('{"kind":"Event"', 'invalid_json').column, 16);
});

test('decodeLine() keeps attacker text out of the JSON error message', () => {
  const r = assertRejected('{"a":\u001b[31m}', 'invalid_json');
  assert.equal(r.message.includes('\u001b'), false);
});

test('decodeLine() rejects JSON that is not an audit event (fal_01_003)', () => {
  assertRejected('{"kind": 0}', 'not_audit_event');
  assertRejected('{"kind":"Pod","metadata":{}}', 'not_audit_event');
  assertRejected('"just a string"', 'not_audit_event');
  assertRejected('{"kind":"EventList"}', 'not_audit_event');
  assertRejected('{"kind":"AdmissionReview"}', 'not_audit_event');
});

test('decodeLine() drops a partly bad top-level array whole, with one reject', () => {
  const { rejects, lineOf, stats } = runStream(
    JSON.stringify([auditEvent(), { kind: 'Pod' }, auditEvent()]),
  );
  assert.deepEqual(lineOf, [1, 3, 5]);
  assert.equal(stats.rejected.not_audit_event, 2);
  assert.equal(rejects.length, 1);
});

test('decodeLine() skips only the bad event of an EventList', () => {
  const rejects: RejectInfo[] = [];
  const decoder = createDecoder({ onReject: (r) => rejects.push(r) });
  const noTs = auditEvent();
  delete noTs.stageTimestamp;
  const line = JSON.stringify({ kind: 'EventList', items: [auditEvent(), noTs, auditEvent()] });
  assert.equal(decoder.decodeLine(line, 'x', 1).length, 2);
  assert.deepEqual(
    rejects.map((r) => r.reason),
    ['missing_timestamp'],
  );
});

test('decodeLine() rejects an Event without stageTimestamp', () => {
  const ev = auditEvent();
  delete ev.stageTimestamp;
  assertRejected(JSON.stringify(ev), 'missing_timestamp');
  const ar = { kind: 'AdmissionReview', request: { uid: 'u', operation: 'CREATE' } };
  assertRejected(JSON.stringify(ar), 'missing_timestamp');
});

test('decodeLine() rejects a timestamp that is not RFC 3339', () => {
  assertRejected(
    JSON.stringify(auditEvent({ stageTimestamp: '26/10/2018 13:42' })),
    'bad_timestamp',
  );
  assertRejected(
    JSON.stringify(auditEvent({ stageTimestamp: '2018-02-30T00:00:00Z' })),
    'bad_timestamp',
  );
});

test('decodeLine() rejects fields of the wrong JSON type', () => {
  for (const over of [
    { user: 'bob' },
    { user: { username: 7 } },
    { user: { username: 'bob', groups: 'admins' } },
    { verb: 5 },
    { stage: false },
    { auditID: ['x'] },
    { objectRef: 'pods' },
    { objectRef: { resource: 1 } },
    { sourceIPs: '10.0.0.1' },
    { responseStatus: { code: '201' } },
    { annotations: { 'authorization.k8s.io/decision': true } },
    { stageTimestamp: 1540475929 },
  ]) {
    assertRejected(JSON.stringify(auditEvent(over)), 'wrong_type');
  }
  assertRejected(JSON.stringify({ kind: 'EventList', items: ['not an object'] }), 'wrong_type');
});

test('decodeLine() rejects AdmissionReview fields of the wrong JSON type', () => {
  const base = {
    kind: 'AdmissionReview',
    requestReceivedTimestamp: '2023-02-04T21:56:41.610688981Z',
  };
  for (const request of [
    { uid: 'u', operation: 3 },
    { uid: 4, operation: 'CREATE' },
    { uid: 'u', operation: 'CREATE', userInfo: 'admin' },
    { uid: 'u', operation: 'CREATE', dryRun: 'no' },
  ]) {
    assertRejected(JSON.stringify({ ...base, request }), 'wrong_type');
  }
});

test('decodeLine() rejects JSON nested deeper than maxDepth before parsing', () => {
  const deep = `${'{"a":'.repeat(1001)}1${'}'.repeat(1001)}`;
  assertRejected(JSON.stringify(auditEvent({ requestObject: JSON.parse(deep) })), 'too_deep');
  assertRejected('['.repeat(100_000) + ']'.repeat(100_000), 'too_deep');
});

test('decodeLine() accepts nesting up to maxDepth and ignores brackets inside strings', () => {
  const rejects: RejectInfo[] = [];
  const decoder = createDecoder({ maxDepth: 10, onReject: (r) => rejects.push(r) });
  // Depth 1 (event) + 9 levels = 10.
  const nine = JSON.parse(`${'{"a":'.repeat(9)}1${'}'.repeat(9)}`);
  const tricky = `${'[{'.repeat(40)}\\"]}`;
  const ev = auditEvent({ requestObject: nine, userAgent: tricky });
  assert.equal(decoder.decodeLine(JSON.stringify(ev), 'd', 1).length, 1);
  const ten = JSON.parse(`${'{"a":'.repeat(10)}1${'}'.repeat(10)}`);
  assert.equal(
    decoder.decodeLine(JSON.stringify(auditEvent({ requestObject: ten })), 'd', 2).length,
    0,
  );
  assert.deepEqual(
    rejects.map((r) => [r.reason, r.line]),
    [['too_deep', 2]],
  );
});

test('decodeLine() reports each reason once per origin but counts all', () => {
  const rejects: RejectInfo[] = [];
  const decoder = createDecoder({ onReject: (r) => rejects.push(r) });
  decoder.decodeLine('{', 'a', 1);
  decoder.decodeLine('{', 'a', 2);
  decoder.decodeLine('{', 'b', 1);
  decoder.decodeLine('{"kind":0}', 'a', 3);
  assert.deepEqual(
    rejects.map((r) => `${r.origin}:${r.line}:${r.reason}`),
    ['a:1:invalid_json', 'b:1:invalid_json', 'a:3:not_audit_event'],
  );
  assert.equal(decoder.stats.rejected.invalid_json, 3);
});
