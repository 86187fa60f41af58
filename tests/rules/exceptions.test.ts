import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyExceptions } from '../../src/rules/exceptions.ts';
import { loadRules } from '../../src/rules/index.ts';
import { plainText } from '../../src/rules/mapped-text.ts';
import type { ExceptionEntry, ExceptionInfo } from '../../src/rules/model.ts';
import { createSourceFile } from '../../src/rules/source-file.ts';
import type { YamlNode } from '../../src/rules/yaml-node.ts';

const NODE: YamlNode = { kind: 'null', file: createSourceFile('x', ''), start: 0, end: 0 };
const s = (item: string): ExceptionEntry => ({ isList: false, item, items: [], node: NODE });
const l = (...items: ExceptionEntry[]): ExceptionEntry => ({
  isList: true,
  item: '',
  items,
  node: NODE,
});
const ex = (e: Omit<ExceptionInfo, 'ctx'>): ExceptionInfo => ({ ...e, ctx: [] });

test('applyExceptions() builds the list form with default and list operators', () => {
  const out = applyExceptions(plainText('ka.verb = create'), [
    ex({
      name: 'e',
      fields: l(s('ka.user.name'), s('ka.target.namespace')),
      comps: l(s('='), s('in')),
      values: [l(s('alice'), s('kube-system')), l(s('bob smith'), l(s('a'), s('b c')))],
    }),
  ]);
  assert.equal(
    out.condition.text,
    '(ka.verb = create) and not (( ka.user.name = alice and ka.target.namespace in (kube-system)) or ( ka.user.name = "bob smith" and ka.target.namespace in (a, "b c")))',
  );
  assert.deepEqual(out.fields, ['ka.user.name', 'ka.target.namespace']);
});

test('applyExceptions() builds the single-field form and skips exceptions without values', () => {
  const out = applyExceptions(plainText('c'), [
    ex({ name: 'a', fields: s('ka.user.name'), comps: s('in'), values: [s('x'), s('y z')] }),
    ex({ name: 'b', fields: l(s('ka.verb')), comps: l(s('=')), values: [] }),
  ]);
  assert.equal(out.condition.text, '(c) and not (ka.user.name in (x, "y z"))');
});

test('applyExceptions() rejects values that do not match the fields', () => {
  assert.throws(
    () =>
      applyExceptions(plainText('c'), [
        ex({ name: 'a', fields: l(s('f.a'), s('f.b')), values: [l(s('1'))] }),
      ]),
    { code: 'LOAD_ERR_VALIDATE', message: 'Fields and values lists must have equal length' },
  );
});

const RULE =
  '- rule: r\n  desc: d\n  condition: ka.verb = create\n  output: o\n  priority: INFO\n  source: k8s_audit\n';

test('loadRules() checks exception fields and operators at collection', () => {
  const bad = loadRules([
    {
      name: 'e.yaml',
      content: `${RULE}  exceptions:\n    - name: e\n      fields: [ka.nope]\n      values: [[x]]\n`,
    },
  ]);
  assert.equal(bad.errors[0]?.code, 'LOAD_ERR_VALIDATE');
  assert.equal(bad.errors[0]?.message, "'ka.nope' is not a supported filter field");
  const op = loadRules([
    {
      name: 'e.yaml',
      content: `${RULE}  exceptions:\n    - name: e\n      fields: ka.verb\n      comps: =\n      values: [x]\n`,
    },
  ]);
  assert.match(
    op.errors[0]?.message ?? '',
    /^When fields is a single value, comps must be one of \(in, pmatch, intersects\)/,
  );
});

test('loadRules() appends exception values by name and warns on duplicates and empty appends', () => {
  const r = loadRules([
    {
      name: 'e.yaml',
      content: `${RULE}  exceptions:\n    - name: e\n      fields: [ka.user.name]\n      values: [[alice]]\n    - name: e\n      fields: [ka.verb]\n      values: [[get]]\n- rule: r\n  exceptions:\n    - name: e\n      values: [[bob]]\n    - name: e\n  override:\n    exceptions: append\n`,
    },
  ]);
  assert.deepEqual(r.errors, []);
  const codes = r.warnings.map((w) => w.code).sort();
  assert.deepEqual(codes, [
    'LOAD_APPEND_NO_VALUES',
    'LOAD_EXCEPTION_NAME_NOT_UNIQUE',
    'LOAD_EXCEPTION_NAME_NOT_UNIQUE',
  ]);
  assert.deepEqual(r.rules[0]?.exceptionFields, ['ka.user.name', 'ka.verb']);
});
