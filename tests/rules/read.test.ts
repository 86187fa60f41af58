import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LOAD_LIMITS } from '../../src/rules/limits.ts';
import { RuleLoadError } from '../../src/rules/messages.ts';
import { readRulesItems } from '../../src/rules/read.ts';
import { createSourceFile, positionAt, snippetAt } from '../../src/rules/source-file.ts';
import {
  getValue,
  type MapNode,
  type ScalarNode,
  scalarOffset,
} from '../../src/rules/yaml-node.ts';

function readError(content: string): RuleLoadError {
  try {
    readRulesItems(createSourceFile('f.yaml', content));
  } catch (e) {
    if (e instanceof RuleLoadError) return e;
    throw e;
  }
  throw new Error('expected a RuleLoadError');
}

function conditionOf(content: string): ScalarNode {
  const [item] = readRulesItems(createSourceFile('f.yaml', content)).items;
  const cond = getValue(item as MapNode, 'condition');
  assert.equal(cond?.kind, 'scalar');
  return cond as ScalarNode;
}

test('readRulesItems() reports bad YAML as LOAD_ERR_YAML_PARSE with its line and column', () => {
  const err = readError('- rule: a\n  desc: [unclosed\n- rule: b\n');
  assert.equal(err.code, 'LOAD_ERR_YAML_PARSE');
  const pos = err.context[0]?.position;
  assert.ok(pos !== undefined && pos.line >= 2, `line ${pos?.line}`);
});

test('readRulesItems() rejects a top-level map as not an array of objects', () => {
  const err = readError('foo: bar\n');
  assert.equal(err.code, 'LOAD_ERR_YAML_VALIDATE');
  assert.equal(err.message, 'Rules content is not yaml array of objects');
  assert.equal(err.context[0]?.itemType, 'rules content');
});

test('readRulesItems() rejects a top-level scalar as not yaml', () => {
  const err = readError('just text\n');
  assert.equal(err.message, 'Rules content is not yaml');
});

test('readRulesItems() skips empty documents and null items across --- documents', () => {
  const { items } = readRulesItems(
    createSourceFile(
      'f.yaml',
      '---\n---\n- list: a\n  items: []\n-\n---\n- macro: m\n  condition: x\n',
    ),
  );
  assert.equal(items.length, 2);
});

test('readRulesItems() keeps scalars as text like yaml-cpp (0.10 stays 0.10, ~ is null)', () => {
  const [item] = readRulesItems(createSourceFile('f.yaml', '- a: 0.10\n  b: ~\n  c: "~"\n')).items;
  const map = item as MapNode;
  assert.deepEqual(getValue(map, 'a'), { ...(getValue(map, 'a') as ScalarNode), value: '0.10' });
  assert.equal(getValue(map, 'b')?.kind, 'null');
  assert.equal((getValue(map, 'c') as ScalarNode).value, '~');
});

test('scalarOffset() is exact for a one-line plain condition', () => {
  const content = '- rule: r\n  condition: ka.verb = create and ka.user.nam = bob\n';
  const node = conditionOf(content);
  const at = node.value.indexOf('ka.user.nam');
  const off = scalarOffset(node, at);
  assert.equal(content.slice(off, off + 11), 'ka.user.nam');
  const file = createSourceFile('f.yaml', content);
  assert.deepEqual(positionAt(file, off), { name: 'f.yaml', line: 2, column: 35, offset: off });
});

test('scalarOffset() maps into double-quoted and folded block conditions', () => {
  const quoted = '- rule: r\n  condition: "ka.verb = \\"x\\" and bad.field = 1"\n';
  const q = conditionOf(quoted);
  const qo = scalarOffset(q, q.value.indexOf('bad.field'));
  assert.equal(quoted.slice(qo, qo + 9), 'bad.field');
  const folded = '- rule: r\n  condition: >\n    ka.verb = create\n    and bad.field = 1\n';
  const f = conditionOf(folded);
  const fo = scalarOffset(f, f.value.indexOf('bad.field'));
  assert.equal(folded.slice(fo, fo + 9), 'bad.field');
  assert.equal(positionAt(createSourceFile('f', folded), fo).line, 4);
});

test('snippetAt() draws the caret under the span on its source line', () => {
  const file = createSourceFile('f', 'line one\n  cond: a = b\n');
  assert.equal(snippetAt(file, 17, 20), '  cond: a = b\n        ^^^');
});

test('readRulesItems() lets aliases stand for LOAD_LIMITS.aliasedNodes nodes and stops one past, at that alias', () => {
  // An anchored sequence of 999 scalars is 1000 nodes; each alias to it counts 1000.
  const anchor = `&a [${Array(999).fill('x').join(', ')}]`;
  const uses = LOAD_LIMITS.aliasedNodes / 1000;
  const file = (n: number) =>
    `- list: a\n  items: ${anchor}\n- list: b\n  items: [${Array(n).fill('*a').join(', ')}]\n`;
  const ok = readRulesItems(createSourceFile('f.yaml', file(uses))).items;
  assert.equal(ok.length, 2);
  const content = file(uses + 1);
  const err = readError(content);
  assert.equal(err.code, 'LOAD_ERR_YAML_PARSE');
  // The alias that crossed the limit: the last one.
  assert.equal(err.context[0]?.position.offset, content.lastIndexOf('*a'));
});

test('readRulesItems() shares an anchored node between its aliases instead of converting it again', () => {
  const [item] = readRulesItems(
    createSourceFile('f.yaml', '- a: &x [1, 2]\n  b: *x\n  c: *x\n'),
  ).items;
  const map = item as MapNode;
  assert.equal(getValue(map, 'b'), getValue(map, 'a'));
  assert.equal(getValue(map, 'c'), getValue(map, 'a'));
});
