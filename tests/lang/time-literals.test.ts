import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditRecord } from '../../src/events/record.ts';
import { defaultFieldRegistry, normalizeTimeLiteral } from '../../src/fields/index.ts';
import {
  ConditionError,
  compileCondition,
  interpretCondition,
  parseCondition,
} from '../../src/lang/index.ts';

const env = { registry: defaultFieldRegistry, source: 'k8s_audit' as const };

// 2026-03-02T10:20:00.5Z (1772446800 s: 20514 days of 86400 s, plus 10:20:00).
const T = '1772446800500000000';

function rec(timeNs: string, sourceIPs: string[] = ['10.0.0.1', '192.0.2.7']): AuditRecord {
  const obj = { kind: 'Event', auditID: 'a', stage: 'ResponseComplete', verb: 'get', sourceIPs };
  return { obj, source: 'k8s_audit', timeNs, num: 1 };
}

/** The condition's result, compiled and interpreted, which must agree. */
function matches(condition: string, r: AuditRecord): boolean {
  const expr = parseCondition(condition);
  const compiled = compileCondition(expr, env).fn(r);
  assert.equal(interpretCondition(expr, r, env), compiled, `interpreted ${condition}`);
  return compiled;
}

test('normalizeTimeLiteral() spells an RFC 3339 instant as the field does', () => {
  assert.equal(normalizeTimeLiteral('epoch-ns', '1970-01-01T00:00:01Z'), '1000000000');
  assert.equal(normalizeTimeLiteral('epoch-ns', '2026-03-02T11:20:00.5+01:00'), T);
  assert.equal(
    normalizeTimeLiteral('iso8601', '2026-03-02T05:20:00.5-05:00'),
    '2026-03-02T10:20:00.500000000+0000',
  );
  assert.equal(normalizeTimeLiteral('epoch-ns', '12345'), '12345', 'a number stays');
  assert.equal(normalizeTimeLiteral('iso8601', 'yesterday'), 'yesterday');
});

test('evt.rawtime compares with RFC 3339 times as instants, any offset', () => {
  const r = rec(T);
  assert.equal(matches('evt.rawtime >= 2026-03-02T10:20:00Z', r), true);
  assert.equal(matches('evt.rawtime > 2026-03-02T10:20:00.6Z', r), false);
  // The same instant in another zone: 11:20:00.5+01:00 is 10:20:00.5Z.
  assert.equal(matches('evt.rawtime = 2026-03-02T11:20:00.5+01:00', r), true);
  assert.equal(matches('evt.rawtime < 2026-03-02T11:20:00.4+01:00', r), false);
  assert.equal(matches(`evt.rawtime = ${T}`, r), true, 'nanoseconds still work');
  assert.equal(matches('evt.rawtime in (1970-01-01T00:00:00Z, 2026-03-02T10:20:00.5Z)', r), true);
});

test('evt.time.iso8601 compares with RFC 3339 times in time order', () => {
  const r = rec(T);
  assert.equal(matches('evt.time.iso8601 >= 2026-03-02T05:00:00-05:00', r), true);
  assert.equal(matches('evt.time.iso8601 < 2026-03-02T05:00:00-05:00', r), false);
  assert.equal(matches('evt.time.iso8601 < 2026-03-02T10:20:01Z', r), true);
  assert.equal(matches('evt.time.iso8601 = 2026-03-02T10:20:00.500Z', r), true);
});

test('a time field refuses a literal that is neither a number nor a time', () => {
  assert.throws(
    () => compileCondition(parseCondition('evt.rawtime > yesterday'), env),
    (e: unknown) => e instanceof ConditionError && /RFC 3339 time/.test(e.message),
  );
});

test('ka.sourceips[0] is one value, compared with = and string operators', () => {
  const r = rec(T);
  assert.equal(matches('ka.sourceips[0] = 10.0.0.1', r), true);
  assert.equal(matches('ka.sourceips[1] = 192.0.2.7', r), true);
  assert.equal(matches('ka.sourceips[0] = 192.0.2.7', r), false);
  assert.equal(matches('ka.sourceips[1] startswith 192.0.2.', r), true);
  assert.equal(matches('ka.sourceips[5] = 10.0.0.1', r), false, 'past the end is absent');
  // Without an index it stays a list, for in/intersects.
  assert.equal(matches('ka.sourceips intersects (192.0.2.7)', r), true);
});
