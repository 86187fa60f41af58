import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RejectInfo } from '../../src/events/index.ts';
import { createDecoder, createDecodeStats, parseTimestampNs } from '../../src/events/index.ts';
import { auditEvent } from '../helpers/events.ts';

function collect() {
  const rejects: RejectInfo[] = [];
  const decoder = createDecoder({ onReject: (r) => rejects.push(r) });
  return { decoder, rejects };
}

const admission = (over: Record<string, unknown> = {}) => ({
  kind: 'AdmissionReview',
  apiVersion: 'admission.k8s.io/v1',
  request: {
    uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
    operation: 'CREATE',
    userInfo: { username: 'admin', groups: ['system:authenticated'] },
    resource: { group: '', version: 'v1', resource: 'pods' },
    name: 'web',
    namespace: 'default',
    object: { kind: 'Pod' },
  },
  requestReceivedTimestamp: '2023-02-04T21:56:41.610688981Z',
  ...over,
});

test('decodeLine() decodes one Event with its stageTimestamp as time', () => {
  const { decoder, rejects } = collect();
  const ev = auditEvent({ stageTimestamp: '2026-11-02T10:15:30.234567Z' });
  const recs = decoder.decodeLine(JSON.stringify(ev), 'a.log', 7);
  assert.equal(recs.length, 1);
  const r = recs[0]!;
  assert.deepEqual(r.obj, ev);
  assert.equal(r.source, 'k8s_audit');
  assert.equal(r.timeNs, `${Date.parse('2026-11-02T10:15:30Z') / 1000}234567000`);
  assert.equal(r.num, 1);
  assert.equal(r.origin, 'a.log');
  assert.equal(r.line, 7);
  assert.deepEqual(rejects, []);
});

test('decodeLine() takes every item of an EventList, without checking their kind', () => {
  const { decoder, rejects } = collect();
  const a = auditEvent({ verb: 'get' });
  const b = auditEvent({ verb: 'list' });
  delete b.kind;
  const line = JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [a, b] });
  const recs = decoder.decodeLine(line, 'l', 1);
  assert.deepEqual(
    recs.map((r) => r.obj.verb),
    ['get', 'list'],
  );
  assert.deepEqual(rejects, []);
});

test('decodeLine() flattens a top-level array of Events and EventLists', () => {
  const { decoder } = collect();
  const list = { kind: 'EventList', items: [auditEvent({ verb: 'b' }), auditEvent({ verb: 'c' })] };
  const line = JSON.stringify([auditEvent({ verb: 'a' }), list, [auditEvent({ verb: 'd' })]]);
  const recs = decoder.decodeLine(line, 'arr', 3);
  assert.deepEqual(
    recs.map((r) => [r.obj.verb, r.line]),
    [
      ['a', 3],
      ['b', 3],
      ['c', 3],
      ['d', 3],
    ],
  );
});

test('decodeLine() decodes an AdmissionReview as k8s_admission timed by requestReceivedTimestamp', () => {
  const { decoder } = collect();
  const recs = decoder.decodeLine(JSON.stringify(admission()), 'kar.jsonl', 1);
  assert.equal(recs.length, 1);
  assert.equal(recs[0]!.source, 'k8s_admission');
  assert.equal(recs[0]!.timeNs, parseTimestampNs('2023-02-04T21:56:41.610688981Z'));
  assert.ok(recs[0]!.timeNs.endsWith('610688981'));
});

test('decodeLine() numbers records over the decoder lifetime, across origins', () => {
  const { decoder } = collect();
  const nums: number[] = [];
  for (const [origin, line] of [
    ['x', JSON.stringify(auditEvent())],
    ['x', '{"kind":"Pod"}'],
    ['y', JSON.stringify([auditEvent(), auditEvent()])],
    ['y', JSON.stringify(admission())],
  ] as const) {
    for (const r of decoder.decodeLine(line, origin, 1)) nums.push(r.num);
  }
  assert.deepEqual(nums, [1, 2, 3, 4]);
  assert.equal(decoder.stats.events, 4);
});

test('decodeLine() skips blank lines without a reject', () => {
  const { decoder, rejects } = collect();
  assert.deepEqual(decoder.decodeLine('', 'b', 1), []);
  assert.deepEqual(decoder.decodeLine('   \t', 'b', 2), []);
  assert.deepEqual(rejects, []);
  assert.equal(decoder.stats.lines, 2);
});

test('decodeLine() accepts an event exactly at maxEventSize and rejects one byte more', () => {
  const ev = auditEvent();
  const base = JSON.stringify({ ...ev, pad: '' });
  const limit = Buffer.byteLength(base) + 10;
  const rejects: RejectInfo[] = [];
  const decoder = createDecoder({
    maxEventSize: limit,
    oversize: 'drop',
    onReject: (r) => rejects.push(r),
  });
  const fits = JSON.stringify({ ...ev, pad: 'é'.repeat(5) }); // 10 bytes in UTF-8
  const over = JSON.stringify({ ...ev, pad: `${'é'.repeat(5)}x` });
  assert.equal(decoder.decodeLine(fits, 's', 1).length, 1);
  assert.equal(decoder.decodeLine(over, 's', 2).length, 0);
  assert.equal(decoder.stats.rejected.event_too_large, 1);
  assert.equal(rejects[0]?.reason, 'event_too_large');
  assert.equal(rejects[0]?.line, 2);
});

test('decodeLine() judges an event over maxEventSize without its bodies, unless asked to drop it', () => {
  const ev = auditEvent({ requestObject: { blob: 'x'.repeat(5000) }, responseObject: { y: 1 } });
  const limit = 2000;
  const rejects: RejectInfo[] = [];
  const decoder = createDecoder({ maxEventSize: limit, onReject: (r) => rejects.push(r) });
  const recs = decoder.decodeLine(JSON.stringify(ev), 's', 1);
  assert.equal(recs.length, 1);
  assert.equal(recs[0]!.bodiesDropped, true);
  assert.equal('requestObject' in recs[0]!.obj || 'responseObject' in recs[0]!.obj, false);
  assert.equal(recs[0]!.obj.auditID, ev.auditID);
  assert.equal(decoder.stats.notices.bodies_dropped, 1);
  assert.deepEqual(
    rejects.map((r) => [r.reason, r.line]),
    [['bodies_dropped', 1]],
  );
  // Over the limit even without bodies: rejected as before.
  const uri = auditEvent({ requestURI: `/${'u'.repeat(5000)}` });
  assert.equal(decoder.decodeLine(JSON.stringify(uri), 's', 2).length, 0);
  assert.equal(decoder.stats.rejected.event_too_large, 1);
  // A small event is not marked.
  assert.equal(decoder.decodeLine(JSON.stringify(auditEvent()), 's', 3)[0]?.bodiesDropped, false);
  const dropping = createDecoder({ maxEventSize: limit, oversize: 'drop' });
  assert.equal(dropping.decodeLine(JSON.stringify(ev), 's', 1).length, 0);
  assert.equal(dropping.stats.rejected.event_too_large, 1);
});

test('decodeLine() measures each item of a large EventList on its own', () => {
  const small = auditEvent();
  const big = auditEvent({ pad: 'x'.repeat(2000) }); // not in a body: cannot be trimmed
  const limit = Buffer.byteLength(JSON.stringify(small)) + 100;
  const decoder = createDecoder({ maxEventSize: limit });
  const line = JSON.stringify({ kind: 'EventList', items: [small, big, small, small] });
  const recs = decoder.decodeLine(line, 'l', 1);
  assert.equal(recs.length, 3);
  assert.equal(decoder.stats.rejected.event_too_large, 1);
});

test('decodeValue() decodes an already-parsed webhook body', () => {
  const stats = createDecodeStats();
  const decoder = createDecoder({ stats });
  const body = { kind: 'EventList', items: [auditEvent(), auditEvent()] };
  const recs = decoder.decodeValue(body, 'http://127.0.0.1/k8s-audit', 1, 1234);
  assert.equal(recs.length, 2);
  assert.equal(stats.events, 2);
  assert.equal(stats.bytes, 1234);
  assert.equal(recs[1]!.num, 2);
});

test('decodeValue() rejects a non-event value without throwing', () => {
  const { decoder, rejects } = collect();
  assert.deepEqual(decoder.decodeValue(42, 'w', 1, 2), []);
  assert.deepEqual(decoder.decodeValue(null, 'w', 2, 4), []);
  assert.equal(decoder.stats.rejected.not_audit_event, 2);
  assert.equal(rejects.length, 1);
});
