import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAuditBatch, parseNdjsonBatch } from '../../../src/server/webhook/parse-batch.ts';
import { auditEvent } from '../../helpers/events.ts';

test('parseNdjsonBatch() keeps each good line and refuses each bad one by its index', () => {
  const a = JSON.stringify(auditEvent({ verb: 'get' }));
  const b = auditEvent({ verb: 'list' });
  const body = [
    a,
    '',
    '{"kind":"Event",',
    JSON.stringify({ message: JSON.stringify(b), host: 'n1', source_type: 'file' }),
    JSON.stringify({ log: 'I1102 10:15:30 apiserver started', date: 1.5 }),
    '',
  ].join('\n');
  const r = parseNdjsonBatch(body);
  assert.ok(r.ok);
  assert.deepEqual(r.events, [a, JSON.stringify(b)]);
  // The line that is not JSON, and the record whose log line is not an event.
  assert.deepEqual(
    r.rejects.map((x) => x.index),
    [2, 4],
  );
  assert.equal(r.rejects[0]!.reason, 'invalid_json');
  assert.deepEqual(parseNdjsonBatch('\n \n'), {
    ok: false,
    code: 'EMPTY_BODY',
    message: 'the NDJSON body holds no line',
  });
});

test("parseAuditBatch() reads Fluent Bit's array of records: parsed events with date, or the line under log", () => {
  const parsed = { date: 1762078530.2, ...auditEvent({ verb: 'patch' }) };
  const line = JSON.stringify(auditEvent({ verb: 'delete' }));
  const r = parseAuditBatch(
    JSON.stringify([parsed, { date: 1762078530.3, log: line }, { date: 1, log: 'not json' }]),
  );
  assert.ok(r.ok);
  assert.equal(r.events.length, 2);
  assert.equal(JSON.parse(r.events[0]!).verb, 'patch');
  assert.equal(r.events[1], line);
  assert.deepEqual(
    r.rejects.map((x) => x.index),
    [2],
  );
});
