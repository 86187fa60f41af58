import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Expr } from '../../src/lang/ast.ts';
import { parseCondition } from '../../src/lang/parser.ts';
import { printExpr } from '../../src/lang/print.ts';
import { SHARED_SKIP, sharedFixture } from '../helpers/shared.ts';

const CASES: readonly [string, string][] = [
  [
    'evt.type=open and proc.name in (ash,bash,  csh)',
    '(evt.type = open and proc.name in (ash, bash, csh))',
  ],
  [
    'evt.type=open and (((proc.aname=sshd and proc.name!=sshd) or proc.name=login) or proc.name=ssh)',
    '(evt.type = open and (((proc.aname = sshd and proc.name != sshd) or proc.name = login) or proc.name = ssh))',
  ],
  ['evt.type in(open,openat)', 'evt.type in (open, openat)'],
  ["not proc.cmdline contains 'curl 127.0.0.1'", 'not proc.cmdline contains "curl 127.0.0.1"'],
  [
    'evt.type = open and not proc.name = "proc.pname"',
    '(evt.type = open and not proc.name = proc.pname)',
  ],
  ['not   (a.b exists and c.d  exists)', 'not (a.b exists and c.d exists)'],
  [
    'a.b = val( c.d ) and tolower( c.e )=toupper(c.f)',
    '(a.b = val(c.d) and tolower(c.e) = toupper(c.f))',
  ],
  ["a.b['x y'] exists", 'a.b["x y"] exists'],
  ['a.b = ""', 'a.b = ""'],
  ['a.b in ("a,b", "c)", \'d"\', "e\\nf")', 'a.b in ("a,b", "c)", "d\\"", "e\\nf")'],
  ['a.b in my_list', 'a.b in my_list'],
  ['a.b >= 0x10 or m1', '(a.b >= 0x10 or m1)'],
  ['a.b startswith  anyof(x,y)', 'a.b startswith anyof (x, y)'],
  ['a.b = oneof my_list', 'a.b = oneof my_list'],
  ['a.b = oneof', 'a.b = oneof'],
  ['a.b = oneof and c.d exists', '(a.b = oneof and c.d exists)'],
];

for (const [input, expected] of CASES) {
  test(`printExpr() prints ${JSON.stringify(input)} in Falco's compiled form`, () => {
    assert.equal(printExpr(parseCondition(input)), expected);
  });
}

test('printExpr() quotes a value that would otherwise not read back', () => {
  const e: Expr = {
    kind: 'check',
    lhs: { kind: 'field', name: 'a.b', start: 0, end: 0 },
    op: '=',
    rhs: { kind: 'value', value: 'x = y', quoted: false, start: 0, end: 0 },
    start: 0,
    end: 0,
  };
  assert.equal(printExpr(e), 'a.b = "x = y"');
});

test('printExpr() writes a non-identifier single value after in as a one-item list', () => {
  const e: Expr = {
    kind: 'check',
    lhs: { kind: 'field', name: 'a.b', start: 0, end: 0 },
    op: 'in',
    rhs: { kind: 'value', value: '/x', quoted: false, start: 0, end: 0 },
    start: 0,
    end: 0,
  };
  assert.equal(printExpr(e), 'a.b in (/x)');
});

// Falco's unit tests print compiled conditions; every such string that uses only the
// language must be a fixed point of parse → print.
function compiledConditions(): string[] {
  const md = readFileSync(sharedFixture('falco', 'rules_validation_cases.md'), 'utf8');
  const out = new Set<string>();
  for (const m of md.matchAll(
    /get_compiled_rule_condition\("[^"]*"\),\s*((?:"(?:[^"\\]|\\.)*"\s*)+)\)/g,
  )) {
    const parts = [...(m[1] ?? '').matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((p) => p[1] ?? '');
    out.add(parts.join('').replace(/\\"/g, '"'));
  }
  return [...out];
}

test("printExpr() reproduces Falco's compiled conditions from its rule-loader tests", {
  skip: SHARED_SKIP,
}, () => {
  const all = compiledConditions();
  assert.ok(all.length >= 20, `found only ${all.length} compiled conditions`);
  for (const s of all) assert.equal(printExpr(parseCondition(s)), s);
});
