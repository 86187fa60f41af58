import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type {
  CheckExpr,
  Expr,
  Modifier,
  Operand,
  Operator,
  Rhs,
  ValueLit,
} from '../../src/lang/ast.ts';
import { compileCondition } from '../../src/lang/compile.ts';
import { interpretCondition } from '../../src/lang/interpret.ts';
import { parseCondition } from '../../src/lang/parser.ts';
import { printExpr } from '../../src/lang/print.ts';
import { TEST_ENV, testRecord } from './test-registry.ts';

const S = { start: 0, end: 0 };
// A small vocabulary, so that random values often collide and comparisons go both ways.
const WORDS = ['a', 'A', 'ab', '/a/b', '', 'x y', 'YQ==', '10'];
const PATTERNS = ['a*', '*', '?', '[ab]', 'A*', '/a/*', '[!a]*', 'a\\*'];
const REGEXES = ['a.*', '[0-9]+', 'a|b', '.*b', 'x?'];
const NUMBERS = ['0', '1', '2', '10', '0x2', '1.5'];

const value = (v: string): ValueLit => ({ kind: 'value', value: v, quoted: true, ...S });
const field = (name: string): Operand => ({ kind: 'field', name, ...S });

// Operands over the test registry: scalar strings, a list, numbers.
const scalarOperand = fc.oneof(
  fc.constantFrom('ka.user.name', 'ka.verb', 'ka.target.name', 'ka.impuser.name').map(field),
  fc
    .tuple(
      fc.constantFrom('tolower', 'toupper', 'basename', 'b64' as const),
      fc.constantFrom('ka.user.name', 'ka.target.name'),
    )
    .map(([t, f]): Operand => ({ kind: 'transform', name: t, arg: field(f), ...S })),
);
const listOperand = fc.constantFrom(field('ka.user.groups'), {
  kind: 'transform',
  name: 'tolower',
  arg: field('ka.user.groups'),
  ...S,
} as Operand);
const numericOperand = fc.constantFrom(
  field('evt.num'),
  { kind: 'transform', name: 'len', arg: field('ka.user.name'), ...S } as Operand,
  { kind: 'transform', name: 'len', arg: field('ka.user.groups'), ...S } as Operand,
);

const listRhs = fc
  .array(fc.constantFrom(...WORDS), { maxLength: 4 })
  .map((vs): Rhs => ({ kind: 'list', items: vs.map(value), ...S }));
const dynRhs = fc
  .constantFrom('ka.user.name', 'ka.impuser.name', 'ka.target.name')
  .map((f): Rhs => ({ kind: 'val', field: field(f), ...S }));

const check = (lhs: Operand, op: Operator, rhs?: Rhs): CheckExpr =>
  rhs === undefined ? { kind: 'check', lhs, op, ...S } : { kind: 'check', lhs, op, rhs, ...S };

const modifier = fc.constantFrom<Modifier>('oneof', 'anyof', 'allof');
const listOf = (vs: readonly string[]): Rhs => ({ kind: 'list', items: vs.map(value), ...S });
const withModifier = (c: CheckExpr, m: Modifier): CheckExpr => ({ ...c, modifier: m });

const scalarCheck = fc.oneof(
  fc
    .tuple(
      scalarOperand,
      fc.constantFrom<Operator>(
        '=',
        '!=',
        'contains',
        'icontains',
        'startswith',
        'endswith',
        '<',
        '>=',
      ),
      fc.oneof(fc.constantFrom(...WORDS).map(value), dynRhs),
    )
    .map(([l, op, r]) => check(l, op, r)),
  fc
    .tuple(scalarOperand, fc.constantFrom<Operator>('glob', 'iglob'), fc.constantFrom(...PATTERNS))
    .map(([l, op, p]) => check(l, op, value(p))),
  fc.tuple(scalarOperand, fc.constantFrom(...REGEXES)).map(([l, p]) => check(l, 'regex', value(p))),
  fc
    .tuple(scalarOperand, fc.constantFrom<Operator>('in', 'intersects'), fc.oneof(listRhs, dynRhs))
    .map(([l, op, r]) => check(l, op, r)),
  // pmatch, like regex, takes no field on its right (libsinsp refuses one).
  fc.tuple(scalarOperand, listRhs).map(([l, r]) => check(l, 'pmatch', r)),
  scalarOperand.map((l) => check(l, 'exists')),
  fc
    .tuple(
      scalarOperand,
      fc.constantFrom<Operator>('=', '!=', 'contains', 'startswith', 'glob', 'icontains'),
      modifier,
      fc.array(fc.constantFrom(...WORDS, ...PATTERNS), { maxLength: 3 }),
    )
    .map(([l, op, m, vs]) => withModifier(check(l, op, listOf(vs)), m)),
);
const listCheck = fc.oneof(
  fc
    .tuple(listOperand, fc.constantFrom<Operator>('in', 'intersects'), fc.oneof(listRhs, dynRhs))
    .map(([l, op, r]) => check(l, op, r)),
  listOperand.map((l) => check(l, 'exists')),
);
const numericCheck = fc
  .tuple(
    numericOperand,
    fc.constantFrom<Operator>('=', '!=', '<', '<=', '>', '>='),
    fc.constantFrom(...NUMBERS),
  )
  .map(([l, op, n]) => check(l, op, { ...value(n), quoted: false }));

const { expr: semanticExpr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarCheck,
    listCheck,
    numericCheck,
    fc
      .array(tie('expr'), { minLength: 2, maxLength: 3 })
      .map((children): Expr => ({ kind: 'and', children, ...S })),
    fc
      .array(tie('expr'), { minLength: 2, maxLength: 3 })
      .map((children): Expr => ({ kind: 'or', children, ...S })),
    tie('expr').map((child): Expr => ({ kind: 'not', child, ...S })),
  ),
}));

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const event = fc
  .record({
    auditID: maybe(fc.constant('id')),
    verb: maybe(fc.constantFrom(...WORDS)),
    user: fc.record({
      username: maybe(fc.constantFrom(...WORDS)),
      groups: maybe(fc.array(fc.constantFrom(...WORDS), { maxLength: 3 })),
    }),
    impersonatedUser: maybe(fc.record({ username: maybe(fc.constantFrom(...WORDS)) })),
    objectRef: maybe(
      fc.record({ name: maybe(fc.constantFrom(...WORDS, 'aGk=', '/a/b/c', 'A/B')) }),
    ),
  })
  .map((e) => JSON.parse(JSON.stringify(e)) as Record<string, unknown>);

test('compileCondition() agrees with interpretCondition() on random conditions and events', () => {
  fc.assert(
    fc.property(
      semanticExpr,
      fc.array(event, { minLength: 1, maxLength: 4 }),
      fc.nat(20),
      (expr, events, num) => {
        const { fn } = compileCondition(expr, TEST_ENV);
        for (const e of events) {
          const rec = testRecord(e, num);
          assert.equal(fn(rec), interpretCondition(expr, rec, TEST_ENV), printExpr(expr));
        }
      },
    ),
    { numRuns: 1000 },
  );
});

// Syntax-only ASTs: arbitrary names and strings, no registry involved.
const ident = fc
  .stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{0,6}$/)
  .filter((s) => !['and', 'or', 'not'].includes(s));
const fieldName = fc.array(ident, { minLength: 2, maxLength: 3 }).map((p) => p.join('.'));
const anyText = fc.string({ unit: 'binary', maxLength: 8 });
const syntaxField = fc
  .tuple(fieldName, maybe(fc.string({ minLength: 1, maxLength: 6, unit: 'binary' })))
  .map(
    ([name, arg]): Operand =>
      arg === undefined ? { kind: 'field', name, ...S } : { kind: 'field', name, arg, ...S },
  );
const { operand: syntaxOperand } = fc.letrec<{ operand: Operand }>((tie) => ({
  operand: fc.oneof(
    { depthSize: 'small' },
    syntaxField,
    fc
      .tuple(
        fc.constantFrom('tolower', 'toupper', 'b64', 'basename', 'len' as const),
        tie('operand'),
      )
      .map(([name, arg]): Operand => ({ kind: 'transform', name, arg, ...S })),
  ),
}));
const strValue = anyText.map((v): ValueLit => ({ kind: 'value', value: v, quoted: false, ...S }));
const syntaxCheck = fc.oneof(
  fc
    .tuple(
      syntaxOperand,
      fc.constantFrom<Operator>(
        '=',
        '==',
        '!=',
        'contains',
        'icontains',
        'bcontains',
        'startswith',
        'bstartswith',
        'endswith',
        'glob',
        'iglob',
        'regex',
      ),
      fc.oneof(
        strValue,
        syntaxOperand.map((f): Rhs => ({ kind: 'val', field: f, ...S })),
      ),
    )
    .map(([l, op, r]) => check(l, op, r)),
  fc
    .tuple(
      syntaxOperand,
      fc.constantFrom<Operator>('<', '<=', '>', '>='),
      fc.constantFrom(...NUMBERS, '-3', '+1e+5'),
    )
    .map(([l, op, n]) => check(l, op, { ...value(n), quoted: false })),
  fc
    .tuple(
      syntaxOperand,
      fc.constantFrom<Operator>('in', 'intersects', 'pmatch'),
      fc.oneof(
        fc.array(strValue, { maxLength: 3 }).map((items): Rhs => ({ kind: 'list', items, ...S })),
        ident.map((n): Rhs => ({ ...value(n), quoted: false })),
      ),
    )
    .map(([l, op, r]) => check(l, op, r)),
  syntaxOperand.map((l) => check(l, 'exists')),
  fc
    .tuple(
      syntaxOperand,
      fc.constantFrom<Operator>('=', '!=', 'contains', 'iglob', 'regex', 'endswith'),
      modifier,
      fc.oneof(
        fc.array(strValue, { maxLength: 3 }).map((items): Rhs => ({ kind: 'list', items, ...S })),
        ident.map((n): Rhs => ({ ...value(n), quoted: false })),
      ),
    )
    .map(([l, op, m, r]) => withModifier(check(l, op, r), m)),
);
const { expr: syntaxExpr } = fc.letrec<{ expr: Expr; notChild: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    syntaxCheck,
    ident.map((name): Expr => ({ kind: 'macro', name, ...S })),
    fc
      .array(tie('expr'), { minLength: 2, maxLength: 3 })
      .map((children): Expr => ({ kind: 'and', children, ...S })),
    fc
      .array(tie('expr'), { minLength: 2, maxLength: 3 })
      .map((children): Expr => ({ kind: 'or', children, ...S })),
    tie('notChild').map((child): Expr => ({ kind: 'not', child, ...S })),
  ),
  // `not not x` reads back as `x`, so a not never directly holds a not.
  notChild: tie('expr').filter((e) => e.kind !== 'not'),
}));

function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v))
    if (k !== 'start' && k !== 'end' && k !== 'quoted') out[k] = strip(x);
  return out;
}

test('parseCondition(printExpr(ast)) gives the AST back', () => {
  fc.assert(
    fc.property(syntaxExpr, (expr) => {
      const text = printExpr(expr);
      assert.deepEqual(strip(parseCondition(text)), strip(expr), text);
    }),
    { numRuns: 1000 },
  );
});

test('parseCondition() offsets point at the text of each check', () => {
  fc.assert(
    fc.property(syntaxExpr, (expr) => {
      const text = printExpr(expr);
      const visit = (e: Expr): void => {
        if (e.kind === 'and' || e.kind === 'or') e.children.forEach(visit);
        else if (e.kind === 'not') visit(e.child);
        else if (e.kind === 'macro') assert.equal(text.slice(e.start, e.end), e.name);
        else assert.equal(printExpr(parseCondition(text.slice(e.start, e.end))), printExpr(e));
      };
      visit(parseCondition(text));
    }),
    { numRuns: 300 },
  );
});
