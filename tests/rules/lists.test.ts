import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectItem } from '../../src/rules/collect.ts';
import { type CompiledList, compileLists, substituteList } from '../../src/rules/lists.ts';
import { plainText } from '../../src/rules/mapped-text.ts';
import { createReporter } from '../../src/rules/messages.ts';
import { createCollection } from '../../src/rules/model.ts';
import { readRulesItems } from '../../src/rules/read.ts';
import { createSourceFile } from '../../src/rules/source-file.ts';

const list = (name: string, items: string[]): CompiledList => ({ name, items, used: false });
const sub = (cond: string, l: CompiledList): string | undefined =>
  substituteList(plainText(cond), l)?.text;

test('substituteList() replaces a bounded list name with its items', () => {
  assert.equal(
    sub('ka.verb in (verbs)', list('verbs', ['get', 'list'])),
    'ka.verb in ( get, list )',
  );
});

test('substituteList() leaves names that are part of a longer word', () => {
  assert.equal(sub('fd.name in (file_my_list)', list('my_list', ['a'])), undefined);
  assert.equal(sub('x in (my_list2)', list('my_list', ['a'])), undefined);
});

test('substituteList() quotes items with a space and rewrites any bounded occurrence', () => {
  assert.equal(sub('a=create', list('create', ['x y'])), 'a= "x y" ');
});

test('substituteList() lets an empty list eat one adjacent comma', () => {
  assert.equal(sub('x in (a, empty)', list('empty', [])), 'x in (a  )');
  assert.equal(sub('x in (empty, b)', list('empty', [])), 'x in (   b)');
});

test('compileLists() expands earlier lists and keeps a later list name as a warned literal', () => {
  const content = '- list: a\n  items: [x]\n- list: b\n  items: [a, c]\n- list: c\n  items: [z]\n';
  const file = createSourceFile('l.yaml', content);
  const reporter = createReporter();
  reporter.files.set('l.yaml', file);
  const col = createCollection();
  for (const item of readRulesItems(file).items)
    collectItem({ sources: new Map(), reporter }, col, item, []);
  const lists = compileLists(col, reporter);
  assert.deepEqual(lists.get('b')?.items, ['x', 'c']);
  assert.equal(lists.get('a')?.used, true);
  assert.equal(reporter.warnings.length, 1);
  const w = reporter.warnings[0];
  assert.equal(w?.code, 'LOAD_UNKNOWN_ITEM');
  const loc = w?.locations[w.locations.length - 1];
  assert.equal(loc?.itemType, 'list item');
  assert.deepEqual([loc?.position.line, loc?.position.column], [4, 14]);
  assert.match(w?.message ?? '', /l\.yaml:5/);
});
