// Every kind of request kube-apiserver (or anyone else) can send to POST /k8s-audit, against
// a real `kaudit serve` on loopback: what is refused, with which status and code, and that
// what is accepted is stored and detected exactly once while what is refused never is.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DEFAULT_MAX_DEPTH } from '../../src/events/index.ts';
import { auditEvent } from '../helpers/events.ts';
import { postAudit, request } from '../helpers/http-request.ts';
import { eventList, type ServeProcess, startServe } from '../helpers/serve.ts';
import {
  alertedIds,
  EVERY_EVENT_RULE,
  numberedEvents,
  scrape,
  tempDir,
  waitFor,
  writeRules,
} from '../helpers/serve-kit.ts';

const LIMIT = 64 * 1024;
let s: ServeProcess;
let alertsFile: string;
/** auditIDs a 200 said were kept: each must be alerted exactly once. */
const kept: string[] = [];
/** auditIDs that were refused: none may ever be alerted. */
const refused: string[] = [];
/** What the tests sent, for the metrics test at the end. */
const sent = { ok: 0, status: new Map<number, number>(), rejects: new Map<string, number>() };

function count(status: number): void {
  sent.status.set(status, (sent.status.get(status) ?? 0) + 1);
  if (status === 200) sent.ok++;
}
function countReject(reason: string, n = 1): void {
  sent.rejects.set(reason, (sent.rejects.get(reason) ?? 0) + n);
}
const ids = (events: readonly Record<string, unknown>[]): string[] =>
  events.map((e) => String(e.auditID));

async function post(body: string | Buffer, headers: Record<string, string> = {}, chunked = false) {
  const r = await postAudit(s.port, body, { headers, chunked });
  count(r.status);
  return r;
}

before(async () => {
  const dir = tempDir();
  alertsFile = join(dir, 'alerts.json');
  const rules = writeRules(dir, EVERY_EVENT_RULE);
  s = await startServe([
    '-r',
    rules,
    '--rule-matching',
    'all',
    '--max-body-size',
    '64k',
    '--max-event-size',
    '4k',
    '--output',
    `file:${alertsFile}`,
  ]);
});
after(async () => {
  await s?.stop('SIGKILL');
});

test('POST /k8s-audit keeps an EventList, a single Event and an array of Events, plain or gzip', async () => {
  const list = numberedEvents('list', 3);
  const r1 = await post(eventList(list));
  assert.equal(r1.status, 200, r1.text);
  assert.deepEqual(r1.json(), { accepted: 3, rejected: 0 });
  const single = auditEvent({ auditID: 'single-0' });
  const r2 = await post(JSON.stringify(single), {
    'content-type': 'application/json; charset=utf-8',
  });
  assert.equal(r2.status, 200, r2.text);
  assert.equal(r2.json().accepted, 1);
  const arr = numberedEvents('array', 2);
  const r3 = await post(JSON.stringify(arr), { 'content-type': 'Application/JSON' });
  assert.equal(r3.status, 200, r3.text);
  assert.equal(r3.json().accepted, 2);
  const zipped = numberedEvents('gzip', 4);
  const r4 = await post(gzipSync(eventList(zipped)), { 'content-encoding': 'gzip' });
  assert.equal(r4.status, 200, r4.text);
  assert.equal(r4.json().accepted, 4);
  // Pretty-printed, with newlines inside: each event must still come out whole.
  const pretty = numberedEvents('pretty', 2);
  const r5 = await post(
    JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: pretty }, null, 2),
  );
  assert.equal(r5.status, 200, r5.text);
  const empty = await post(eventList([]));
  assert.deepEqual(empty.json(), { accepted: 0, rejected: 0 });
  kept.push(...ids(list), 'single-0', ...ids(arr), ...ids(zipped), ...ids(pretty));
});

test('POST /k8s-audit keeps the good elements of a batch and reports the bad ones by index', async () => {
  const [a, b, c] = numberedEvents('mixed-good', 3) as [object, object, object];
  const badTs = auditEvent({ auditID: 'mixed-bad-ts', stageTimestamp: 'yesterday' });
  const noTs = auditEvent({ auditID: 'mixed-no-ts' });
  delete noTs.stageTimestamp;
  const badUser = auditEvent({ auditID: 'mixed-bad-user', user: 'root' });
  const r = await post(eventList([a, 5, b, badTs, noTs, 'text', badUser, c]));
  assert.equal(r.status, 200, r.text);
  const body = r.json<{
    accepted: number;
    rejected: number;
    errors: { index: number; reason: string }[];
  }>();
  assert.equal(body.accepted, 3);
  assert.equal(body.rejected, 5);
  assert.deepEqual(
    body.errors.map((e) => [e.index, e.reason]),
    [
      [1, 'wrong_type'],
      [3, 'bad_timestamp'],
      [4, 'missing_timestamp'],
      [5, 'wrong_type'],
      [6, 'wrong_type'],
    ],
  );
  kept.push('mixed-good-0', 'mixed-good-1', 'mixed-good-2');
  refused.push('mixed-bad-ts', 'mixed-no-ts', 'mixed-bad-user');
  countReject('wrong_type', 3);
  countReject('bad_timestamp');
  countReject('missing_timestamp');
});

test('POST /k8s-audit refuses an element over --max-event-size by index and keeps the rest', async () => {
  const small = auditEvent({ auditID: 'size-small' });
  // Multi-byte text: the limit is in bytes, as the decoder counts it.
  const big = auditEvent({ auditID: 'size-big', requestObject: { note: 'é'.repeat(2100) } });
  assert.ok(JSON.stringify(big).length < 4096 && Buffer.byteLength(JSON.stringify(big)) > 4096);
  const r = await post(eventList([big, small]));
  assert.equal(r.status, 200, r.text);
  const body = r.json<{ accepted: number; errors: { index: number; reason: string }[] }>();
  assert.equal(body.accepted, 1);
  assert.deepEqual(
    body.errors.map((e) => [e.index, e.reason]),
    [[0, 'event_too_large']],
  );
  kept.push('size-small');
  refused.push('size-big');
  countReject('event_too_large');
});

test('POST /k8s-audit refuses an NDJSON line over --max-event-size by its line index', async () => {
  const small = auditEvent({ auditID: 'ndjson-size-small' });
  const big = auditEvent({ auditID: 'ndjson-size-big', requestObject: { note: 'é'.repeat(2100) } });
  const body = `${JSON.stringify(small)}\n${JSON.stringify(big)}\n`;
  const r = await post(body, { 'content-type': 'application/x-ndjson' });
  assert.equal(r.status, 200, r.text);
  const answer = r.json<{ accepted: number; errors: { index: number; reason: string }[] }>();
  assert.equal(answer.accepted, 1);
  assert.deepEqual(
    answer.errors.map((e) => [e.index, e.reason]),
    [[1, 'event_too_large']],
  );
  kept.push('ndjson-size-small');
  refused.push('ndjson-size-big');
  countReject('event_too_large');
});

test('POST /k8s-audit lists at most 20 bad elements but counts them all', async () => {
  const bad = Array.from({ length: 25 }, (_, i) =>
    auditEvent({ auditID: `many-bad-${i}`, stageTimestamp: 'no' }),
  );
  const r = await post(eventList([...bad, auditEvent({ auditID: 'many-good' })]));
  assert.equal(r.status, 200, r.text);
  const body = r.json<{ accepted: number; rejected: number; errors: unknown[] }>();
  assert.equal(body.rejected, 25);
  assert.equal(body.accepted, 1);
  assert.equal(body.errors.length, 20);
  kept.push('many-good');
  refused.push(...ids(bad));
  countReject('bad_timestamp', 25);
});

test('POST /k8s-audit answers 400 with the line and column of a JSON syntax error', async () => {
  const lines = [
    '{"kind": "EventList", "apiVersion": "audit.k8s.io/v1",',
    ' "items": [',
    `   ${JSON.stringify(auditEvent({ auditID: 'syntax-0' }))} @`,
    ' ]}',
  ];
  const r = await post(lines.join('\n'));
  assert.equal(r.status, 400);
  const err = r.json<{ error: { code: string; line: number; column: number } }>().error;
  assert.equal(err.code, 'INVALID_JSON');
  assert.equal(err.line, 3);
  assert.equal(err.column, (lines[2] as string).lastIndexOf('@') + 1);
  refused.push('syntax-0');
  for (const body of ['', '{', '[1, 2', '{"kind": "EventList", "items": [}']) {
    const e = await post(body);
    assert.equal(e.status, 400, body);
    assert.equal(e.json<{ error: { code: string } }>().error.code, 'INVALID_JSON', body);
  }
});

test('POST /k8s-audit answers 400 NOT_AUDIT_PAYLOAD for JSON that is not an Event, EventList or array', async () => {
  for (const body of [
    '{"kind":"Pod","apiVersion":"v1"}',
    '"text"',
    '42',
    'null',
    '{"kind":"EventList","items":{"a":1}}',
    '{"items":[]}',
  ]) {
    const r = await post(body);
    assert.equal(r.status, 400, body);
    assert.equal(r.json<{ error: { code: string } }>().error.code, 'NOT_AUDIT_PAYLOAD', body);
  }
});

/** A value nested `levels` arrays deep. */
function nested(levels: number): unknown {
  let deep: unknown = 'x';
  for (let i = 0; i < levels; i++) deep = [deep];
  return deep;
}

test('POST /k8s-audit answers 400 TOO_DEEP for nesting past the decoder limit, and keeps nesting below it', async () => {
  const body = eventList([
    auditEvent({ auditID: 'deep-0', requestObject: nested(DEFAULT_MAX_DEPTH + 10) }),
  ]);
  const r = await post(body);
  assert.equal(r.status, 400);
  assert.equal(r.json<{ error: { code: string } }>().error.code, 'TOO_DEEP');
  refused.push('deep-0');
  // The apiserver's decoder allows deeper nesting still; what the detection thread
  // decodes, the webhook keeps (it is alerted in the test below).
  const ok = eventList([
    auditEvent({ auditID: 'deep-ok', requestObject: nested(DEFAULT_MAX_DEPTH - 10) }),
  ]);
  const r2 = await post(ok);
  assert.equal(r2.status, 200, r2.text);
  kept.push('deep-ok');
});

test('/k8s-audit answers 405 with Allow: POST to other methods', async () => {
  for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
    const r = await request({ port: s.port, method, path: '/k8s-audit' });
    count(r.status);
    assert.equal(r.status, 405, method);
    assert.equal(r.headers.allow, 'POST', method);
  }
});

test('POST /k8s-audit answers 415 to a content type other than JSON and to an unknown encoding', async () => {
  const body = eventList([auditEvent({ auditID: 'type-0' })]);
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonx']) {
    const r = await post(body, { 'content-type': type });
    assert.equal(r.status, 415, type);
    assert.equal(r.json<{ error: { code: string } }>().error.code, 'UNSUPPORTED_MEDIA_TYPE');
  }
  const none = await request({ port: s.port, method: 'POST', path: '/k8s-audit', body });
  count(none.status);
  assert.equal(none.status, 415);
  const br = await post(body, { 'content-encoding': 'br' });
  assert.equal(br.status, 415);
  assert.equal(br.json<{ error: { code: string } }>().error.code, 'UNSUPPORTED_ENCODING');
  refused.push('type-0');
});

test('POST /k8s-audit answers 413 to a body over the limit, by Content-Length or while streaming', async () => {
  const events = numberedEvents('big', 90);
  const body = eventList(events);
  assert.ok(body.length > LIMIT, `test body must exceed the limit (${body.length})`);
  const declared = await post(body);
  assert.equal(declared.status, 413, declared.text);
  assert.equal(declared.json<{ error: { code: string } }>().error.code, 'BODY_TOO_LARGE');
  const streamed = await post(body, {}, true);
  assert.equal(streamed.status, 413, streamed.text);
  assert.equal(streamed.json<{ error: { code: string } }>().error.code, 'BODY_TOO_LARGE');
  // Compressed below the limit, over it once gunzipped.
  const zipped = gzipSync(body);
  assert.ok(zipped.length < LIMIT);
  const inflated = await post(zipped, { 'content-encoding': 'gzip' });
  assert.equal(inflated.status, 413, inflated.text);
  refused.push(...ids(events));
});

test('POST /k8s-audit answers 413 to a gzip bomb and 400 to corrupt gzip', async () => {
  // 64 MiB of spaces: about 64 KiB compressed; the server must stop at its limit.
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 });
  assert.ok(bomb.length < LIMIT, `bomb is ${bomb.length} bytes`);
  const r = await post(bomb, { 'content-encoding': 'gzip' });
  assert.equal(r.status, 413, r.text);
  // Over the limit before gunzip (incompressible).
  const raw = await post(gzipSync(randomBytes(LIMIT * 2)), { 'content-encoding': 'gzip' });
  assert.equal(raw.status, 413, raw.text);
  const good = gzipSync(eventList([auditEvent({ auditID: 'corrupt-0' })]));
  const truncated = good.subarray(0, good.length - 12);
  const garbled = Buffer.concat([good.subarray(0, 10), Buffer.from('not deflate data at all')]);
  for (const [name, body] of [
    ['truncated', truncated],
    ['garbled', garbled],
    ['not gzip', Buffer.from(eventList([]))],
  ] as const) {
    const e = await post(body, { 'content-encoding': 'gzip' });
    assert.equal(e.status, 400, `${name}: ${e.text}`);
    assert.equal(e.json<{ error: { code: string } }>().error.code, 'BAD_GZIP', name);
  }
  refused.push('corrupt-0');
});

test('what was acknowledged is alerted exactly once, and nothing refused is', async () => {
  const seen = await waitFor('every kept event alerted', () => {
    const got = alertedIds(alertsFile);
    return kept.every((id) => got.includes(id)) ? got : undefined;
  });
  // A moment more, so that a duplicate or a refused event would have time to show up.
  await new Promise((r) => setTimeout(r, 500));
  const final = alertedIds(alertsFile);
  assert.ok(final.length >= seen.length);
  assert.deepEqual([...final].sort(), [...kept].sort());
  for (const id of refused) assert.ok(!final.includes(id), `${id} was refused but alerted`);
});

test('/metrics counts the requests by status, the events by result and reason, and the alerts', async () => {
  const m = await scrape(s.port);
  for (const [status, n] of sent.status) {
    assert.equal(
      m.value('kaudit_http_requests_total', { route: '/k8s-audit', status: String(status) }),
      n,
      `requests with status ${status}`,
    );
  }
  assert.equal(m.value('kaudit_webhook_events_total', { result: 'accepted' }), kept.length);
  for (const [reason, n] of sent.rejects) {
    assert.equal(
      m.value('kaudit_webhook_events_total', { result: 'rejected', reason }),
      n,
      `rejected events, reason ${reason}`,
    );
  }
  assert.equal(m.value('kaudit_webhook_ack_seconds_count', { route: '/k8s-audit' }), sent.ok);
  // Detection decoded each accepted event once, and had nothing to reject.
  assert.equal(m.value('kaudit_detection_decoded_events_total'), kept.length);
  assert.equal(m.value('kaudit_detection_rejected_events_total'), 0);
  assert.equal(
    m.value('kaudit_alerts_total', { rule: 'Every event', priority: 'Notice' }),
    kept.length,
  );
  assert.equal(
    m.value('kaudit_output_delivered_total', { output: `file:${alertsFile}` }),
    kept.length,
  );
  assert.ok(m.value('kaudit_webhook_received_bytes_total') > 0);
  assert.equal(m.types.get('kaudit_webhook_ack_seconds'), 'histogram');
  assert.ok(m.has('process_resident_memory_bytes'), 'process metrics are exported');
});

test('the log is JSON lines, one per kind of problem, not one per request or event', (t) => {
  const lines = s
    .stderr()
    .split('\n')
    .filter((l) => l.startsWith('{'));
  const records = lines.map((l) => JSON.parse(l) as { msg: string; kind?: string });
  const requests = [...sent.status.values()].reduce((a, b) => a + b, 0);
  const rejected = [...sent.rejects.values()].reduce((a, b) => a + b, 0);
  // Each kind of refused request is logged once here (the throttle's interval is a minute).
  const kinds = records.filter((r) => r.msg.startsWith('webhook: ')).map((r) => r.kind);
  assert.deepEqual(kinds, [...new Set(kinds)], 'a kind of problem logged twice');
  t.diagnostic(`${records.length} log lines, ${requests} requests, ${rejected} refused events`);
  assert.ok(requests > 30 && rejected > 20, `${requests} requests, ${rejected} refused events`);
  assert.ok(records.length < requests / 2, `${records.length} log lines`);
});
