import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scanHeader } from '../../src/fastpath/index.ts';
import { auditEvent } from '../helpers/events.ts';
import { headerOf } from './helpers/header-of.ts';

const line = (over: Record<string, unknown> = {}): string => JSON.stringify(auditEvent(over));

/** Asserts that the scan answers, and answers what JSON.parse gives. */
function assertAgrees(text: string): void {
  const h = scanHeader(text);
  assert.notEqual(h, undefined, 'expected an answer for this line');
  assert.deepEqual(h, headerOf(JSON.parse(text)));
}

test('scanHeader() reads the header fields of a compact apiserver line', () => {
  const text = line({ verb: 'create' });
  const h = scanHeader(text);
  assert.equal(h?.verb, 'create');
  assert.equal(h?.user?.username, 'alice@example.com');
  assert.equal(h?.objectRef?.resource, 'pods');
  assert.equal(h?.responseStatus?.code, 201);
  assert.equal(h?.annotations?.['authorization.k8s.io/decision'], 'allow');
  assertAgrees(text);
});

test('scanHeader() agrees with JSON.parse on reordered top-level keys', () => {
  const ev = auditEvent();
  const reordered = Object.fromEntries(Object.entries(ev).reverse());
  assertAgrees(JSON.stringify(reordered));
});

test('scanHeader() decodes escaped characters in values', () => {
  const text = line({ requestURI: '/api/v1/pods?a=1&b=<2>', verb: 'cr\u00e9ate"\\' })
    .replace('&', '\\u0026')
    .replace('<', '\\u003c');
  const h = scanHeader(text);
  assert.equal(h?.requestURI, '/api/v1/pods?a=1&b=<2>');
  assert.equal(h?.verb, 'cr\u00e9ate"\\');
  assertAgrees(text);
});

test('scanHeader() allows whitespace between tokens', () => {
  const text = ` \t${JSON.stringify(auditEvent(), null, 1).replace(/\n/g, ' ')}  `;
  assertAgrees(text);
});

test('scanHeader() keeps the last of duplicate keys, as JSON.parse does', () => {
  const text = line().replace(/^\{/, '{"verb":"get","user":{"username":"mallory"},');
  assert.equal(scanHeader(text)?.verb, 'create');
  const later = line().replace(/\}$/, ',"verb":"delete","objectRef":{"resource":"secrets"}}');
  assert.equal(scanHeader(later)?.verb, 'delete');
  assert.deepEqual(scanHeader(later)?.objectRef, { resource: 'secrets' });
  assertAgrees(text);
  assertAgrees(later);
});

test('scanHeader() ignores a "verb" nested inside requestObject', () => {
  const text = line({
    verb: 'update',
    requestObject: { verb: 'delete', user: { username: 'x' }, objectRef: { resource: 'y' } },
  });
  assert.equal(scanHeader(text)?.verb, 'update');
  assertAgrees(text);
});

test('scanHeader() decodes an escaped key such as \\u0076erb', () => {
  const text = line({ verb: 'get' }).replace(/\}$/, ',"\\u0076erb":"delete"}');
  assert.equal(scanHeader(text)?.verb, 'delete');
  assertAgrees(text);
});

test('scanHeader() reports objectRef absent for a non-resource request', () => {
  const ev = auditEvent({ requestURI: '/healthz', verb: 'get' });
  delete ev.objectRef;
  const h = scanHeader(JSON.stringify(ev));
  assert.equal(h?.objectRef, undefined);
  assert.equal(h !== undefined && 'objectRef' in h, false);
});

test('scanHeader() gives up on a user that is not an object', () => {
  assert.equal(scanHeader(line({ user: 'alice' })), undefined);
  assert.equal(scanHeader(line({ user: null })), undefined);
});

test('scanHeader() gives up on header members of an unexpected type', () => {
  assert.equal(scanHeader(line({ verb: 5 })), undefined);
  assert.equal(scanHeader(line({ objectRef: { resource: ['pods'] } })), undefined);
  assert.equal(scanHeader(line({ responseStatus: { code: true } })), undefined);
});

test('scanHeader() returns undefined for EventList and non-audit lines', () => {
  const list = { kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [auditEvent()] };
  assert.equal(scanHeader(JSON.stringify(list)), undefined);
  assert.equal(scanHeader(line({ kind: 'AdmissionReview' })), undefined);
  assert.equal(scanHeader(line({ apiVersion: 'v1' })), undefined);
  assert.equal(scanHeader(JSON.stringify([auditEvent()])), undefined);
});

test('scanHeader() returns undefined for text that is not one JSON object', () => {
  const text = line();
  for (const bad of [
    '',
    '{',
    'null',
    text.slice(0, -1),
    `${text} {}`,
    `${text}x`,
    '{"kind":"Event",}',
  ]) {
    assert.equal(scanHeader(bad), undefined, bad.slice(0, 40));
  }
});

test('scanHeader() reads a string response code as a string', () => {
  assertAgrees(line({ responseStatus: { code: '201' } }));
  assertAgrees(line({ responseStatus: { metadata: {}, code: 2.5e2 } }));
});

test('scanHeader() reads stageTimestamp for the record time', () => {
  assert.equal(scanHeader(line())?.stageTimestamp, '2026-11-02T10:15:30.234567Z');
});

test('the warm-up lines take the rare paths and are read as JSON.parse reads them', async () => {
  const { WARM_UP_LINES } = await import('../../src/fastpath/header-scan.ts');
  const answered = WARM_UP_LINES.filter((text) => scanHeader(text) !== undefined);
  for (const text of answered) assertAgrees(text);
  // Escapes in the head, a \u in the bodies, a duplicate, another order, an escaped key,
  // no userAgent: each one answered. A wrong type and non-events are refused.
  assert.equal(answered.length, 5);
  assert.ok(WARM_UP_LINES.some((t) => t.startsWith(' {')));
});
