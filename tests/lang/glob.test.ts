import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileGlob } from '../../src/lang/glob.ts';
import { compilePathMatcher } from '../../src/lang/operators.ts';

const CASES: readonly [string, string, boolean][] = [
  ['*', '', true],
  ['*', 'a/b/c', true],
  ['/etc/*', '/etc/ssl/certs', true],
  ['a?c', 'abc', true],
  ['a?c', 'ac', false],
  ['[a-c]x', 'bx', true],
  ['[a-c]x', 'dx', false],
  ['[!a-c]x', 'dx', true],
  ['[^a-c]x', 'ax', false],
  ['[]]', ']', true],
  ['[!]]', 'a', true],
  ['[a-]', '-', true],
  ['a\\*', 'a*', true],
  ['a\\*', 'ab', false],
  ['a[', 'a[', true],
  ['(a|b)', '(a|b)', true],
  ['a.c', 'abc', false],
  ['^a$', '^a$', true],
  ['[c-a]', 'b', false],
];

for (const [pattern, value, expected] of CASES) {
  test(`compileGlob() ${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(value)}`, () => {
    assert.equal(compileGlob(pattern, false).test(value), expected);
  });
}

test('compileGlob() folds case for iglob only', () => {
  assert.equal(compileGlob('ab*', false).test('ABC'), false);
  assert.equal(compileGlob('ab*', true).test('ABC'), true);
});

test('compilePathMatcher() matches whole path components', () => {
  const m = compilePathMatcher(['/tmp/hello', '/var/*/log']);
  assert.deepEqual(
    ['/tmp/hello', '/tmp/hello/x', '/tmp/hello_world', '/tmp', '/var/a/log/x', '/var/a/b/log'].map(
      m,
    ),
    [true, true, false, false, true, false],
  );
});
