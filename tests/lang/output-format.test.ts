import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultFieldRegistry } from '../../src/fields/index.ts';
import { ConditionError } from '../../src/lang/errors.ts';
import { compileOutputFormat, parseOutputFormat } from '../../src/lang/output-format.ts';
import { TEST_ENV, testRecord } from './test-registry.ts';

const event = {
  auditID: 'x',
  verb: 'create',
  requestURI: '/api/v1/pods?command=ls',
  user: { username: 'alice', groups: ['dev', 'ops'] },
  objectRef: { name: 'web', resource: 'pods' },
};

function render(template: string, obj: Record<string, unknown> = event) {
  const out = compileOutputFormat(parseOutputFormat(template, TEST_ENV), TEST_ENV);
  const rec = testRecord(obj);
  return { text: out.text(rec), fields: out.fields(rec) };
}

function formatError(template: string): ConditionError {
  try {
    parseOutputFormat(template, TEST_ENV);
  } catch (e) {
    assert.ok(e instanceof ConditionError);
    return e;
  }
  assert.fail('no error');
}

test('parseOutputFormat() splits text and fields', () => {
  const segs = parseOutputFormat('user=%ka.user.name verb=%ka.verb', TEST_ENV);
  assert.deepEqual(
    segs.map((s) => s.text ?? `{${s.key}}`),
    ['user=', '{ka.user.name}', ' verb=', '{ka.verb}'],
  );
});

test('parseOutputFormat() takes the longest known field after %', () => {
  assert.equal(render('%ka.target.name/%ka.target.resource').text, 'web/pods');
  assert.equal(render('(%ka.verb).').text, '(create).');
  assert.equal(render('%ka.uri.param[command]!').text, 'ls!');
});

test('compileOutputFormat() renders absent fields as <NA> and null', () => {
  const r = render('u=%ka.user.name i=%ka.impuser.name', { ...event, auditID: undefined });
  assert.equal(r.text, 'u=<NA> i=<NA>');
  assert.deepEqual(r.fields, { 'ka.user.name': null, 'ka.impuser.name': null });
});

test('compileOutputFormat() renders lists as (a,b) in text and arrays in fields', () => {
  const r = render('g=%ka.user.groups');
  assert.equal(r.text, 'g=(dev,ops)');
  assert.deepEqual(r.fields, { 'ka.user.groups': ['dev', 'ops'] });
});

test('compileOutputFormat() lists each field once, in template order', () => {
  const r = render('%ka.verb %ka.user.name %ka.verb %ka.uri.param[command]');
  assert.deepEqual(Object.keys(r.fields), ['ka.verb', 'ka.user.name', 'ka.uri.param[command]']);
});

test('compileOutputFormat() applies transformers, keys them as written and resolves the bare field too', () => {
  const r = render('%toupper(ka.user.name) %len(ka.user.groups)');
  assert.equal(r.text, 'ALICE 2');
  // As libsinsp's resolution tokens: the bare field first, then the transformed one.
  assert.deepEqual(Object.entries(r.fields), [
    ['ka.user.name', 'alice'],
    ['toupper(ka.user.name)', 'ALICE'],
    ['ka.user.groups', ['dev', 'ops']],
    ['len(ka.user.groups)', '2'],
  ]);
  const env = { registry: defaultFieldRegistry, source: 'k8s_audit' as const };
  const out = compileOutputFormat(
    parseOutputFormat('%tolower(toupper(ka.verb)) %evt.num %evt.is_async %evt.time', env),
    env,
  );
  assert.deepEqual(out.jsonKinds, {
    'tolower(toupper(ka.verb))': 'transformed',
    'evt.num': 'number',
    'evt.is_async': 'bool',
    'evt.time': 'time',
  });
});

test('compileOutputFormat() pads and cuts to a %<N> width', () => {
  assert.equal(render('[%8ka.verb]').text, '[create  ]');
  assert.equal(render('[%3ka.verb]').text, '[cre]');
  assert.equal(parseOutputFormat('%8ka.verb', TEST_ENV)[0]?.width, 8);
});

test('parseOutputFormat() rejects a trailing %', () => {
  const e = formatError('user %ka.user.name %');
  assert.equal(e.reason, 'unexpected_end');
  assert.equal(e.start, 19);
});

test('parseOutputFormat() rejects an unknown field with its offset', () => {
  const e = formatError('user=%ka.user.name x=%ka.nope.field');
  assert.equal(e.reason, 'unknown_field');
  assert.equal(e.start, 22);
});

test('parseOutputFormat() checks field arguments', () => {
  assert.equal(formatError('%ka.uri.param').reason, 'missing_field_arg');
  assert.equal(formatError('%ka.uri.param[x').reason, 'bad_field_arg');
  assert.equal(formatError('%kar.verb').reason, 'unknown_field');
});

test('parseOutputFormat() keeps text without fields as one segment', () => {
  assert.deepEqual(parseOutputFormat('plain text', TEST_ENV), [{ text: 'plain text' }]);
  assert.deepEqual(parseOutputFormat('', TEST_ENV), []);
});
