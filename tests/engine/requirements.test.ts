import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeRequirements, fieldDataNeed } from '../../src/engine/index.ts';
import { parseCondition } from '../../src/lang/index.ts';

const req = (text: string) => analyzeRequirements(parseCondition(text));
const set = (s?: ReadonlySet<string>) => (s === undefined ? undefined : [...s].sort());

test('analyzeRequirements() reads =, in and intersects on stage, verb, resource, subresource', () => {
  const r = req(
    'jevt.value[/stage] = ResponseComplete and ka.verb in (create, update) and ka.target.resource = pods and ka.target.subresource intersects (exec)',
  );
  assert.deepEqual(set(r.stages), ['ResponseComplete']);
  assert.deepEqual(set(r.verbs), ['create', 'update']);
  assert.deepEqual(set(r.resources), ['pods']);
  assert.deepEqual(set(r.subresources), ['exec']);
});

test('analyzeRequirements() intersects under and, unites under or, claims nothing under not', () => {
  assert.deepEqual(set(req('ka.verb in (create, delete) and ka.verb = create').verbs), ['create']);
  assert.deepEqual(set(req('ka.verb = create or ka.verb = delete').verbs), ['create', 'delete']);
  assert.equal(req('ka.verb = create or ka.user.name = bob').verbs, undefined);
  assert.equal(req('not ka.verb = create').verbs, undefined);
  assert.equal(req('ka.verb != create').verbs, undefined);
  assert.deepEqual(set(req('ka.verb = create and ka.verb = delete').verbs), []);
});

test('analyzeRequirements() reports the audit level the fields need', () => {
  assert.equal(req('ka.verb = create').needs, 'metadata');
  assert.equal(req('ka.req.pod.host_network = true').needs, 'request');
  assert.equal(
    req('not ka.resp.name startswith x and ka.req.pod.host_pid = true').needs,
    'response',
  );
  assert.equal(req('jevt.value[/requestObject/spec/tls] exists').needs, 'request');
  assert.deepEqual(
    req('ka.verb = create and tolower(ka.user.name) = val(ka.impuser.name)').fields,
    ['ka.verb', 'ka.user.name', 'ka.impuser.name'],
  );
});

test('fieldDataNeed() follows the field table and JSON pointers', () => {
  assert.equal(fieldDataNeed('ka.target.name'), 'metadata');
  assert.equal(fieldDataNeed('ka.req.configmap.name'), 'metadata');
  assert.equal(fieldDataNeed('ka.req.configmap.obj'), 'request');
  assert.equal(fieldDataNeed('ka.target.pod.name'), 'response');
  assert.equal(fieldDataNeed('jevt.value[/responseObject/metadata/name]'), 'response');
  assert.equal(fieldDataNeed('jevt.value[/stage]'), 'metadata');
});
