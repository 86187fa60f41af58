import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkExpr } from '../../src/lang/check.ts';
import { parseCondition } from '../../src/lang/parser.ts';
import { TEST_ENV, TEST_REGISTRY } from './test-registry.ts';

function problems(text: string, source: 'k8s_audit' | 'k8s_admission' = 'k8s_audit') {
  return checkExpr(parseCondition(text), { registry: TEST_REGISTRY, source }).map((e) => ({
    reason: e.reason,
    start: e.start,
  }));
}

test('checkExpr() accepts a valid condition', () => {
  assert.deepEqual(
    problems(
      'ka.verb in (create, update) and ka.user.groups intersects (a) and ka.uri.param[x] = y ' +
        'and len(ka.user.groups) > 2 and jevt.value[/stage] exists and evt.num < 5 and ' +
        'ka.user.name = val(ka.impuser.name) and ka.user.name regex "a.*" and some_macro',
    ),
    [],
  );
});

test('checkExpr() reports an unknown field with a suggestion', () => {
  const [e] = checkExpr(parseCondition('ka.verb = x and ka.user.nam = bob'), TEST_ENV);
  assert.equal(e?.reason, 'unknown_field');
  assert.equal(e?.start, 16);
  assert.equal(e?.end, 27);
  assert.match(e?.message ?? '', /did you mean 'ka\.user\.name'/);
});

test('checkExpr() reports a field of another source as unknown', () => {
  assert.deepEqual(problems('kar.verb = create'), [{ reason: 'unknown_field', start: 0 }]);
  assert.deepEqual(problems('kar.verb = create', 'k8s_admission'), []);
  assert.deepEqual(problems('jevt.value[/x] = create', 'k8s_admission'), []);
});

test('checkExpr() reports every failing check in text order', () => {
  assert.deepEqual(problems('a.b = 1 or ka.verb = x or c.d = 2'), [
    { reason: 'unknown_field', start: 0 },
    { reason: 'unknown_field', start: 26 },
  ]);
});

const CASES: readonly [string, string, number][] = [
  ['ka.uri.param = x', 'missing_field_arg', 0],
  ['ka.user.name[x] = y', 'unexpected_field_arg', 0],
  ['ka.req.pod.containers.image[first] exists', 'bad_field_arg', 0],
  ['jevt.value[stage] exists', 'bad_field_arg', 0],
  ['ka.user.groups contains x', 'unsupported_list_operator', 0],
  ['ka.user.groups = x', 'unsupported_list_operator', 0],
  ['ka.req.pod.containers.image pmatch (/x)', 'unsupported_list_operator', 0],
  ['ka.user.name bcontains 41', 'unsupported_operator', 0],
  ['ka.user.name bstartswith 41', 'unsupported_operator', 0],
  ['len(ka.user.name) contains 1', 'unsupported_operator', 0],
  ['len(ka.user.name) = abc', 'type_mismatch', 20],
  ['evt.num in (1, two)', 'type_mismatch', 15],
  ['tolower(len(ka.user.name)) = 1', 'type_mismatch', 0],
  ['ka.user.name = val(ka.user.groups)', 'type_mismatch', 15],
  ['ka.user.name regex "(a"', 'bad_regex', 19],
  ['ka.user.name regex "a{2,1}"', 'bad_regex', 19],
  ['ka.user.name = val(ka.bogus.field)', 'unknown_field', 19],
  ['tolower(ka.bogus) = x', 'unknown_field', 8],
];

for (const [text, reason, start] of CASES) {
  test(`checkExpr() reports ${reason} for ${JSON.stringify(text)}`, () => {
    assert.deepEqual(problems(text), [{ reason, start }]);
  });
}

test('checkExpr() reports an unknown transformer in a hand-built AST', () => {
  const errors = checkExpr(
    {
      kind: 'check',
      lhs: {
        kind: 'transform',
        name: 'rot13' as 'len',
        arg: { kind: 'field', name: 'ka.verb', start: 7, end: 14 },
        start: 0,
        end: 15,
      },
      op: 'exists',
      start: 0,
      end: 22,
    },
    TEST_ENV,
  );
  assert.deepEqual(
    errors.map((e) => e.reason),
    ['unknown_transformer'],
  );
});

test('checkExpr() leaves macro references to the loader', () => {
  assert.deepEqual(problems('not undefined_macro'), []);
});
