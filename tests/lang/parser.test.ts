import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CheckExpr, Expr } from '../../src/lang/ast.ts';
import { ConditionError } from '../../src/lang/errors.ts';
import { parseCondition } from '../../src/lang/parser.ts';

function parseError(text: string, maxDepth?: number): ConditionError {
  try {
    parseCondition(text, maxDepth === undefined ? {} : { maxDepth });
  } catch (e) {
    assert.ok(e instanceof ConditionError, `expected ConditionError, got ${String(e)}`);
    return e;
  }
  assert.fail(`parsed without error: ${text}`);
}

function shape(e: Expr): unknown {
  switch (e.kind) {
    case 'and':
    case 'or':
      return [e.kind, ...e.children.map(shape)];
    case 'not':
      return ['not', shape(e.child)];
    case 'macro':
      return `@${e.name}`;
    case 'check':
      return e.lhs.kind === 'field' ? e.lhs.name : e.lhs.name;
  }
}

test('parseCondition() flattens a chain of or into one node', () => {
  assert.deepEqual(shape(parseCondition('a.b = 1 or c.d = 2 or e.f = 3')), [
    'or',
    'a.b',
    'c.d',
    'e.f',
  ]);
});

test('parseCondition() keeps parenthesised groups nested', () => {
  assert.deepEqual(shape(parseCondition('(a.b = 1 or c.d = 2) or e.f = 3')), [
    'or',
    ['or', 'a.b', 'c.d'],
    'e.f',
  ]);
});

test('parseCondition() binds not tighter than and, and tighter than or', () => {
  assert.deepEqual(shape(parseCondition('not a.b = 1 and c.d = 2 or e.f = 3')), [
    'or',
    ['and', ['not', 'a.b'], 'c.d'],
    'e.f',
  ]);
});

test('parseCondition() toggles repeated not', () => {
  assert.deepEqual(shape(parseCondition('not not a.b exists')), 'a.b');
  assert.deepEqual(shape(parseCondition('not not not(a.b exists)')), ['not', 'a.b']);
});

test('parseCondition() reads a bare identifier as a macro reference', () => {
  assert.deepEqual(shape(parseCondition('kevt and not notable_user')), [
    'and',
    '@kevt',
    ['not', '@notable_user'],
  ]);
});

test('parseCondition() records offsets of checks and operands', () => {
  const e = parseCondition('ka.verb = create and ka.uri.param[x] exists') as Expr & { kind: 'and' };
  const second = e.children[1] as CheckExpr;
  assert.equal(second.start, 21);
  assert.equal(second.end, 43);
  assert.deepEqual(second.lhs, {
    kind: 'field',
    name: 'ka.uri.param',
    arg: 'x',
    start: 21,
    end: 36,
  });
});

test('parseCondition() unescapes quoted strings', () => {
  const e = parseCondition('a.b = "x\\ty\\"z\\\\ \\/"') as CheckExpr;
  assert.deepEqual(e.rhs, { kind: 'value', value: 'x\ty"z\\ /', quoted: true, start: 6, end: 20 });
});

test('parseCondition() reads lists, transformers and val()', () => {
  const e = parseCondition("tolower(a.b) in(x, 'y z', 3) and a.c = val(a.d)") as Expr & {
    kind: 'and';
  };
  const first = e.children[0] as CheckExpr;
  assert.equal(first.lhs.kind, 'transform');
  assert.equal(first.rhs?.kind, 'list');
  assert.deepEqual(first.rhs?.kind === 'list' ? first.rhs.items.map((i) => i.value) : [], [
    'x',
    'y z',
    '3',
  ]);
  assert.equal((e.children[1] as CheckExpr).rhs?.kind, 'val');
});

test('parseCondition() reads hex and signed numbers after numeric operators', () => {
  const a = parseCondition('len(a.b) >= 0x1F') as CheckExpr;
  const b = parseCondition('a.b<-2.5e+3') as CheckExpr;
  assert.equal(a.rhs?.kind === 'value' ? a.rhs.value : '', '0x1F');
  assert.equal(b.rhs?.kind === 'value' ? b.rhs.value : '', '-2.5e+3');
});

const ERRORS: readonly [string, string, number][] = [
  ['', 'empty_input', 0],
  ['   ', 'empty_input', 0],
  ['(a.b = c', 'unclosed_paren', 0],
  ['a.b = c)', 'unexpected_token', 7],
  ['a.b = "abc', 'unclosed_string', 6],
  ['a.b = "a\\qb"', 'bad_escape', 8],
  ["a.b = 'a\\\"b'", 'bad_escape', 8],
  ['a.b', 'unexpected_end', 3],
  ['a.b foo', 'expected_operator', 4],
  ['a.b containsx', 'expected_blank', 12],
  ['a.b contains', 'expected_blank', 12],
  ['a.b =', 'expected_value', 5],
  ['a.b > abc', 'expected_value', 6],
  ['a.b in "x"', 'expected_value', 7],
  ['a.b in (x, y', 'unclosed_paren', 7],
  ['a.b in (x y)', 'unexpected_token', 10],
  ['a.b = c andx', 'expected_blank', 11],
  ['a.b = c or', 'expected_blank', 10],
  ['a.b = c or ', 'unexpected_end', 11],
  ['a.b = c xyz', 'unexpected_token', 8],
  ['not', 'expected_blank', 3],
  ['not a.b', 'unexpected_end', 7],
  ['foo(a.b) = c', 'unknown_transformer', 0],
  ['a.b = bar(a.c)', 'unknown_transformer', 6],
  ['a.b[] = c', 'bad_field_arg', 4],
  ['a.b[x = c', 'unexpected_token', 5],
  ['tolower(a.b = c', 'unexpected_token', 12],
];

for (const [text, reason, start] of ERRORS) {
  test(`parseCondition() rejects ${JSON.stringify(text)} with ${reason} at ${start}`, () => {
    const e = parseError(text);
    assert.equal(e.reason, reason);
    assert.equal(e.start, start);
  });
}

test('parseCondition() names the token before an unexpected one', () => {
  assert.match(
    parseError('evt.type = execve foo').message,
    /after 'execve', expecting 'or', 'and'/,
  );
});

test('parseCondition() rejects nesting deeper than maxDepth', () => {
  const deep = `${'('.repeat(5)}a.b = c${')'.repeat(5)}`;
  assert.equal(parseError(deep, 4).reason, 'too_deep');
  assert.equal(parseCondition(deep, { maxDepth: 5 }).kind, 'check');
});

test('parseCondition() accepts the default maximum depth of 1000', () => {
  const deep = `${'('.repeat(1000)}a.b = c${')'.repeat(1000)}`;
  assert.equal(parseCondition(deep).kind, 'check');
  assert.equal(parseError(`(${deep})`).reason, 'too_deep');
});
