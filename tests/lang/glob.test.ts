import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
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

test('compileGlob() reads POSIX classes inside brackets, as fnmatch does', () => {
  const m = compileGlob('[[:upper:]][[:alnum:]_]*[[:digit:]]', false);
  assert.deepEqual(
    ['A_b9', 'Ab', 'a_b9', 'A!9'].map((v) => m.test(v)),
    [true, false, false, false],
  );
  // fnmatch fails on an unknown class name wherever the bracket is reached.
  assert.equal(compileGlob('*[[:letter:]a]', false).test('xa'), false);
});

test('compileGlob() folds ASCII only for iglob, bounds of ranges included', () => {
  const m = compileGlob('[A-C]*é', true);
  assert.deepEqual(
    ['b-é', 'B-é', 'd-é', 'b-É'].map((v) => m.test(v)),
    [true, true, false, false],
  );
});

// An independent reference: fnmatch's meaning by dynamic programming over a small token
// language (literals, `?`, `*`, `[ab]`, `[!a]`, `\*`).
type Tok = { readonly star: true } | { readonly star: false; readonly ok: (c: string) => boolean };
const TOKENS: Readonly<Record<string, Tok>> = {
  a: { star: false, ok: (c) => c === 'a' },
  b: { star: false, ok: (c) => c === 'b' },
  '/': { star: false, ok: (c) => c === '/' },
  '?': { star: false, ok: () => true },
  '*': { star: true },
  '[ab]': { star: false, ok: (c) => c === 'a' || c === 'b' },
  '[!a]': { star: false, ok: (c) => c !== 'a' },
  '\\*': { star: false, ok: (c) => c === '*' },
};

function referenceMatch(tokens: readonly Tok[], s: string): boolean {
  // reach[j]: the tokens so far can match s[0..j).
  let reach = Array.from({ length: s.length + 1 }, (_, j) => j === 0);
  for (const t of tokens) {
    const next = new Array<boolean>(s.length + 1).fill(false);
    for (let j = 0; j <= s.length; j++) {
      if (t.star) next[j] = reach[j] === true || (j > 0 && next[j - 1] === true);
      else next[j] = j > 0 && reach[j - 1] === true && t.ok(s[j - 1] as string);
    }
    reach = next;
  }
  return reach[s.length] === true;
}

test('compileGlob() agrees with a dynamic-programming fnmatch on random patterns', () => {
  // Stars and letters weigh more: overlapping segments are where a search goes wrong.
  const keys = [...Object.keys(TOKENS), '*', '*', 'a', 'b', 'a'];
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...keys), { maxLength: 7 }),
      fc.array(fc.array(fc.constantFrom('a', 'b', '/', '*'), { maxLength: 8 }), { maxLength: 6 }),
      (toks, subjects) => {
        const m = compileGlob(toks.join(''), false);
        for (const cs of subjects) {
          const s = cs.join('');
          const want = referenceMatch(
            toks.map((k) => TOKENS[k] as Tok),
            s,
          );
          assert.equal(m.test(s), want, `${toks.join('')} on ${s}`);
        }
      },
    ),
    { numRuns: 2000, seed: 11 },
  );
});
