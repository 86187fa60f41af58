import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code, codeName, joinCode, js, safeStringify } from '../../src/codegen/code.ts';
import type { Expr, Operator } from '../../src/lang/ast.ts';
import { compileCondition, createCodegenScope } from '../../src/lang/compile.ts';
import { quoteString } from '../../src/lang/lexer.ts';
import { compileOutputFormat, parseOutputFormat } from '../../src/lang/output-format.ts';
import { parseCondition } from '../../src/lang/parser.ts';
import { TEST_ENV, testRecord } from './test-registry.ts';

const g = globalThis as Record<string, unknown>;

// Each of these would end a string literal, a comment, a template, a line or a script
// block if it were pasted into source text.
const EVIL = [
  '"); globalThis.pwned = 1; ("',
  "'); globalThis.pwned = 1; ('",
  '`; globalThis.pwned = 1; `',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: template syntax is the attack under test
  '${globalThis.pwned = 1}',
  '\\"); globalThis.pwned = 1; //',
  'a\nglobalThis.pwned = 1;\n',
  '*/ globalThis.pwned = 1; /*',
  '\u2028globalThis.pwned = 1;\u2029',
  '</script><script>globalThis.pwned = 1</script>',
  '\\',
  '\0\x1b\x7f',
];

function check(op: Operator, rhs: readonly string[], list: boolean): Expr {
  const items = rhs.map((value) => ({
    kind: 'value' as const,
    value,
    quoted: true,
    start: 0,
    end: 0,
  }));
  return {
    kind: 'check',
    lhs: { kind: 'field', name: 'ka.target.name', start: 0, end: 0 },
    op,
    rhs: list ? { kind: 'list', items, start: 0, end: 0 } : (items[0] as (typeof items)[number]),
    start: 0,
    end: 0,
  };
}

const rec = (name: string) => testRecord({ auditID: 'x', objectRef: { name } });

for (const evil of EVIL) {
  test(`compileCondition() embeds ${JSON.stringify(evil)} as data only`, () => {
    delete g.pwned;
    const eq = compileCondition(check('=', [evil], false), TEST_ENV);
    const inList = compileCondition(check('in', ['x', evil], true), TEST_ENV);
    const contains = compileCondition(check('icontains', [evil], false), TEST_ENV);
    assert.equal(eq.fn(rec(evil)), true);
    assert.equal(eq.fn(rec(`${evil}x`)), false);
    assert.equal(inList.fn(rec(evil)), true);
    assert.equal(contains.fn(rec(`a${evil}b`)), true);
    assert.equal(g.pwned, undefined);
    assert.ok(!eq.source.includes('</script>'), 'no raw </ in the source');
    assert.ok(!/[\u2028\u2029]/.test(eq.source), 'no raw line separators in the source');
  });
}

test('compileCondition() treats quoted condition text as data after parsing', () => {
  delete g.pwned;
  for (const evil of EVIL) {
    const { fn } = compileCondition(
      parseCondition(`ka.target.name = ${quoteString(evil)}`),
      TEST_ENV,
    );
    assert.equal(fn(rec(evil)), true);
  }
  assert.equal(g.pwned, undefined);
});

test('compileCondition() passes a field argument to the getter, not into the code', () => {
  delete g.pwned;
  const arg = '/x"]); globalThis.pwned = 1; (["';
  const expr = parseCondition(`jevt.value[${quoteString(arg)}] exists`);
  const { fn, source } = compileCondition(expr, TEST_ENV);
  assert.equal(fn(testRecord({ 'x"]); globalThis.pwned = 1; (["': 'v' })), true);
  assert.ok(!source.includes('pwned'));
  assert.equal(g.pwned, undefined);
});

test('compileOutputFormat() renders attacker text verbatim', () => {
  const out = compileOutputFormat(parseOutputFormat('n=%ka.target.name', TEST_ENV), TEST_ENV);
  for (const evil of EVIL) assert.equal(out.text(rec(evil)), `n=${evil}`);
});

test('safeStringify() escapes line separators and </', () => {
  assert.equal(safeStringify('a\u2028b\u2029c</d'), '"a\\u2028b\\u2029c<\\/d"');
  assert.equal(safeStringify(undefined), 'undefined');
  assert.equal(safeStringify(12n), '12n');
  assert.equal(safeStringify(Number.NaN), 'NaN');
  assert.equal(safeStringify({ a: ['x'] }), '{"a":["x"]}');
  assert.throws(() => safeStringify(() => 1), TypeError);
});

test('js`` splices Code and embeds everything else as literals', () => {
  const inner = js`x + ${1}`;
  assert.ok(inner instanceof Code);
  assert.equal(js`f(${inner}, ${'a"b'}, ${null})`.toString(), 'f(x + 1, "a\\"b", null)');
  const tpl = `$${'{1}'}`;
  assert.equal(js`${tpl}`.toString(), `"${tpl}"`);
});

test('joinCode() and codeName() reject text that could carry code', () => {
  assert.equal(joinCode([js`a`, js`b`], ' && ').toString(), 'a && b');
  assert.throws(() => joinCode([js`a`], '); evil(); ('), TypeError);
  assert.equal(codeName('ok_1').toString(), 'ok_1');
  assert.throws(() => codeName('a; evil()'), TypeError);
});

test('createCodegenScope() passes helpers as parameters and rejects bad parameter names', () => {
  const scope = createCodegenScope(TEST_ENV);
  const marker = { hit: 0 };
  const h = scope.helper(marker, 'bad hint; evil()');
  assert.match(h.toString(), /^[A-Za-z_$][\w$]*$/);
  assert.equal(scope.helper(marker).toString(), h.toString(), 'same value, same parameter');
  const built = scope.build<(r: unknown, n: number) => number>(
    js`${h}.hit += n; return ${h}.hit;`,
    ['n'],
  );
  assert.equal(built.fn({}, 2), 2);
  assert.equal(marker.hit, 2);
  assert.throws(() => scope.build(js`return 1;`, ['n); evil(']), TypeError);
});
