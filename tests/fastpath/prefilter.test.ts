import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPrefilter, type Header, scanHeader } from '../../src/fastpath/index.ts';
import { defaultFieldRegistry } from '../../src/fields/index.ts';
import { parseCondition } from '../../src/lang/index.ts';
import { auditEvent } from '../helpers/events.ts';

const env = { registry: defaultFieldRegistry, source: 'k8s_audit' as const };

function prefilterOf(...conditions: string[]) {
  return createPrefilter(
    conditions.map((c) => parseCondition(c)),
    env,
  );
}

function headerOf(over: Record<string, unknown> = {}, drop: readonly string[] = []): Header {
  const ev = auditEvent(over);
  for (const k of drop) delete ev[k];
  const h = scanHeader(JSON.stringify(ev));
  assert.ok(h, 'test event must scan');
  return h;
}

test('createPrefilter() skips events a header check rules out', () => {
  const pre = prefilterOf('ka.verb=create and ka.req.pod.host_network intersects (true)');
  assert.ok(pre);
  assert.equal(pre(headerOf({ verb: 'get' })), false);
  assert.equal(pre(headerOf({ verb: 'create' })), true);
});

test('createPrefilter() returns undefined when a condition reads no header field', () => {
  assert.equal(prefilterOf('ka.req.pod.host_network intersects (true)'), undefined);
  assert.equal(
    prefilterOf('ka.verb=get', 'not ka.req.pod.host_network intersects (true)'),
    undefined,
  );
});

test('createPrefilter() returns undefined when an unknown branch can always make it true', () => {
  assert.equal(prefilterOf('ka.verb=get or ka.req.pod.host_network intersects (true)'), undefined);
  assert.equal(prefilterOf('not (ka.verb=get and ka.req.service.type=NodePort)'), undefined);
});

test('createPrefilter() evaluates and/or/not in three-valued logic', () => {
  const pre = prefilterOf(
    '(ka.verb=get or ka.req.service.type=NodePort) and not (ka.target.resource=pods or ka.req.pod.host_pid intersects (true))',
  );
  assert.ok(pre);
  // resource=pods makes the `not (...)` definitely false.
  assert.equal(pre(headerOf({ verb: 'get' })), false);
  // verb=get and resource=services: unknown second part, so maybe.
  const svc = headerOf({ verb: 'get', objectRef: { resource: 'services' } });
  assert.equal(pre(svc), true);
  // verb=list: first part is `false or unknown` = unknown: maybe.
  assert.equal(pre(headerOf({ verb: 'list', objectRef: { resource: 'services' } })), true);
});

test('createPrefilter() treats an absent field as absent, not unknown', () => {
  const exists = prefilterOf(
    'ka.target.subresource exists and ka.req.pod.host_pid intersects (true)',
  );
  const notExists = prefilterOf(
    'not ka.target.subresource exists and ka.req.pod.host_pid intersects (true)',
  );
  assert.ok(exists);
  assert.ok(notExists);
  assert.equal(exists(headerOf({}, ['objectRef'])), false);
  assert.equal(exists(headerOf({ objectRef: { resource: 'pods', subresource: 'exec' } })), true);
  assert.equal(notExists(headerOf({}, ['objectRef'])), true);
  assert.equal(
    notExists(headerOf({ objectRef: { resource: 'pods', subresource: 'exec' } })),
    false,
  );
});

test('createPrefilter() sees every ka.* field as absent without auditID', () => {
  const pre = prefilterOf('ka.verb!=get and ka.req.pod.host_pid intersects (true)');
  assert.ok(pre);
  assert.equal(pre(headerOf({ verb: 'create' })), true);
  assert.equal(pre(headerOf({ verb: 'create' }, ['auditID'])), false);
});

test('createPrefilter() reads JSON pointers onto header members', () => {
  const pre = prefilterOf(
    'jevt.value[/stage]=ResponseComplete and ka.req.pod.host_pid intersects (true)',
  );
  assert.ok(pre);
  assert.equal(pre(headerOf({ stage: 'RequestReceived' })), false);
  assert.equal(pre(headerOf({ stage: 'ResponseComplete' })), true);
});

test('createPrefilter() evaluates the event time from stageTimestamp', () => {
  const pre = prefilterOf('jevt.rawtime=0 and ka.req.pod.host_pid intersects (true)');
  assert.ok(pre);
  assert.equal(pre(headerOf()), false);
  // No readable time: the decoder decides (it rejects the event), so the answer is maybe.
  assert.equal(pre(headerOf({ stageTimestamp: 'yesterday' })), true);
  assert.equal(pre(headerOf({}, ['stageTimestamp'])), true);
});

test('createPrefilter() is false only when every condition is false', () => {
  const pre = prefilterOf(
    'ka.verb=create and ka.req.pod.host_pid intersects (true)',
    'ka.verb=delete and ka.req.pod.host_pid intersects (true)',
  );
  assert.ok(pre);
  assert.equal(pre(headerOf({ verb: 'get' })), false);
  assert.equal(pre(headerOf({ verb: 'delete' })), true);
  assert.equal(pre(headerOf({ verb: 'create' })), true);
});
