import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { compileRegex, parseRegex, RegexSyntaxError } from '../../src/lang/regex/index.ts';
import { requiredLiterals } from '../../src/lang/regex/literals.ts';
import { printRe2Regex, printV8Regex } from '../../src/lang/regex/print.ts';
import { findBacktrackSafe } from '../../src/lang/regex/safe.ts';

// RE2's own messages (re2/regexp.cc CodeText plus the offending text), for POSIX syntax.
const REFUSED: readonly [pattern: string, message: string, offset: number][] = [
  ['\\d+', 'invalid escape sequence: \\d', 0],
  ['a\\pL', 'invalid escape sequence: \\p', 1],
  ['(a)\\1', 'invalid escape sequence: \\1', 3],
  ['\\b', 'invalid escape sequence: \\b', 0],
  ['\\z', 'invalid escape sequence: \\z', 0],
  ['\\8', 'invalid escape sequence: \\8', 0],
  ['\\é', 'invalid escape sequence: \\é', 0],
  ['\\x{110000}', 'invalid escape sequence: \\x{110000', 0],
  ['\\xg1', 'invalid escape sequence: \\xg1', 0],
  ['(?i)a', 'no argument for repetition operator: ?', 1],
  ['(?P<n>a)', 'no argument for repetition operator: ?', 1],
  ['x|*', 'no argument for repetition operator: *', 2],
  ['{2}', 'no argument for repetition operator: {2}', 0],
  ['a{2,1}', 'invalid repetition size: {2,1}', 1],
  ['a{1001}', 'invalid repetition size: {1001}', 1],
  ['(a{2}){501}', 'invalid repetition size: {501}', 6],
  ['(a', 'missing ): (a', 0],
  ['a)', 'unexpected ): a)', 1],
  ['x[ab', 'missing ]: [ab', 1],
  ['[z-a]', 'invalid character class range: z-a', 1],
  ['[a-c-e]', 'invalid character class range: -e', 4],
  ['[[:word:][:nope:]]', 'invalid character class range: [:nope:]', 9],
  ['[\\d]', 'invalid escape sequence: \\d', 1],
  ['ab\\', 'trailing \\', 2],
  ['[a-', 'invalid UTF-8', 2],
];

for (const [pattern, message, offset] of REFUSED) {
  test(`parseRegex() refuses ${JSON.stringify(pattern)} as RE2's POSIX syntax does`, () => {
    assert.throws(
      () => parseRegex(pattern),
      (e: unknown) => e instanceof RegexSyntaxError && e.message === message && e.offset === offset,
    );
  });
}

const ACCEPTED: readonly [pattern: string, yes: readonly string[], no: readonly string[]][] = [
  ['[[:alpha:]]+', ['abZ'], ['ab1', '']],
  ['[[:^digit:]]', ['\n', 'x'], ['5']],
  ['[]a]', [']', 'a'], ['b']],
  ['[^]a]', ['b', '\n'], [']', 'a']],
  ['[a-]', ['-', 'a'], ['b']],
  ['a{,2}', ['a{,2}'], ['aa']],
  ['a{2,}', ['aa', 'aaaa'], ['a']],
  ['\\_\\-\\.', ['_-.'], ['_-x']],
  ['\\0101', ['\u00081'], ['A']],
  ['.', ['\u2028', '😀', 'é'], ['\n', '']],
  ['x*?', ['', 'xx'], ['y']],
  ['(|a)+', ['', 'aa'], ['b']],
  ['^*a$*', ['a'], ['b']],
];

for (const [pattern, yes, no] of ACCEPTED) {
  test(`compileRegex() reads ${JSON.stringify(pattern)} as RE2 does`, () => {
    const m = compileRegex(pattern);
    assert.deepEqual(
      [...yes, ...no].map((s) => m.test(s)),
      [...yes.map(() => true), ...no.map(() => false)],
    );
  });
}

test('compileRegex() runs patterns proved linear on V8 and the rest on RE2', () => {
  const engines = (ps: readonly string[]) => ps.map((p) => compileRegex(p).engine);
  const linear = [
    '^/(healthz|livez|readyz)([/?].*)?$',
    '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
    'system:serviceaccount:kube-system:.*',
    '(a+)+',
    '[a-z]+(-[0-9]+)?',
    '(a?)?b',
    '(a|)(|b)',
    '.*AKIA[0-9A-Z]{16}.*',
    '^.*(token|secret)=[0-9a-f]{8}',
    'x{3}.*',
  ];
  const backtracking = [
    '(a|aa)+b',
    '.*AKIA[0-9A-Z]+.*',
    '.*a.*b.*',
    '.*^a.*',
    '.*a\\n.*',
    'a*a',
    '(ab|ac)',
    '(a*b*)?c',
    'x(^a)',
    '(a|)(|a)',
    '(a|b|)(|c)*',
  ];
  assert.deepEqual(
    engines(linear),
    linear.map(() => 'v8'),
  );
  assert.deepEqual(
    engines(backtracking),
    backtracking.map(() => 're2'),
  );
});

test('findBacktrackSafe() drops only the anchors a full match makes redundant', () => {
  const safe = (p: string) => {
    const n = findBacktrackSafe(parseRegex(p));
    return n === undefined ? undefined : printV8Regex(n);
  };
  assert.equal(safe('^^ab$$'), 'ab');
  assert.equal(safe('^a$|^b$'), '(?:a|b)');
  assert.equal(safe('a^b'), undefined);
  assert.equal(safe('a$b'), undefined);
  assert.equal(safe('(a$)b'), undefined);
});

// Random patterns over a small alphabet, in the syntax RE2's POSIX and Perl modes share,
// so that re2js reading the raw text (with `(?m)` for POSIX's multi-line anchors) is an
// oracle independent of this parser.
const atom = fc.constantFrom('a', 'b', '.', '[ab]', '[^a]', '\\n', '^', '$', 'é', '(?:)');
const quant = fc.constantFrom('', '', '*', '+', '?', '{2}', '{1,2}', '{0,}');
const { re: pattern } = fc.letrec<{ re: string; item: string }>((tie) => ({
  item: fc.oneof(
    { depthSize: 'small' },
    fc.tuple(atom, quant).map(([a, q]) => (a === '(?:)' ? `(${q === '' ? '' : 'a'})${q}` : a + q)),
    fc.tuple(tie('re'), quant).map(([r, q]) => `(${r})${q}`),
  ),
  re: fc.oneof(
    fc.array(tie('item'), { minLength: 1, maxLength: 3 }).map((xs) => xs.join('')),
    fc.tuple(tie('item'), tie('item')).map(([x, y]) => `${x}|${y}`),
  ),
}));
const subject = fc
  .array(fc.constantFrom('a', 'b', '\n', 'é', '😀', '\u2028'), { maxLength: 6 })
  .map((cs) => cs.join(''));

// Wrapped in .* on either side, to exercise the search form too (findSearchForm).
const wrapped = fc
  .tuple(fc.constantFrom('', '.*', '^.*'), pattern, fc.constantFrom('', '.*', '.*$'))
  .map(([a, p, b]) => (a === '' && b === '' ? p : `${a}(${p})${b}`));

test('compileRegex() agrees with re2js reading the pattern itself, on both engines', () => {
  fc.assert(
    fc.property(wrapped, fc.array(subject, { minLength: 1, maxLength: 5 }), (p, subjects) => {
      const node = parseRegex(p);
      const oracle = RE2JS.compile(`(?m)${p}`);
      const v8 = new RegExp(`^(?:${printV8Regex(node)})$`, 'u');
      const re2 = RE2JS.compile(printRe2Regex(node));
      const chosen = compileRegex(p);
      for (const s of subjects) {
        const want = oracle.testExact(s);
        const got = [v8.test(s), re2.testExact(s), chosen.test(s)];
        assert.deepEqual(got, [want, want, want], `${JSON.stringify(p)} on ${JSON.stringify(s)}`);
      }
    }),
    { numRuns: 600, seed: 11 },
  );
});

test('requiredLiterals() finds strings every match contains, or none', () => {
  const lits = (p: string) => requiredLiterals(parseRegex(p));
  assert.deepEqual(lits('(/[a-z0-9.-]+)+/(exec|attach)[?].*'), ['/exec?', '/attach?']);
  assert.deepEqual(lits('(system:node:|system:kube-).*'), ['system:node:', 'system:kube-']);
  assert.deepEqual(lits('x*(ab|cd){2}'), ['abab', 'abcd', 'cdab', 'cdcd']);
  assert.deepEqual(lits('[a-z]+(token)?'), undefined);
  assert.deepEqual(lits('a|bc'), undefined);
  assert.deepEqual(lits('[^\\x00-\\x{10FFFF}]x'), []);
});
