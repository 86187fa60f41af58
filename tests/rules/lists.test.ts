import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { collectItem } from '../../src/rules/collect.ts';
import { LOAD_LIMITS } from '../../src/rules/limits.ts';
import { type CompiledList, compileLists } from '../../src/rules/lists.ts';
import { loadRules } from '../../src/rules/load.ts';
import { plainText, textOfScalar } from '../../src/rules/mapped-text.ts';
import { createReporter } from '../../src/rules/messages.ts';
import { createCollection } from '../../src/rules/model.ts';
import { readRulesItems } from '../../src/rules/read.ts';
import { createSourceFile, positionAt } from '../../src/rules/source-file.ts';
import { substituteList } from '../../src/rules/substitute-lists.ts';
import { runInWorker } from '../helpers/bounded-worker.ts';
import { positionOf, ruleItem } from './helpers/hostile-rules.ts';

const list = (name: string, items: string[]): CompiledList => ({ name, items, used: false });
const sub = (cond: string, l: CompiledList): string | undefined => {
  const r = substituteList(plainText(cond), l);
  return r === undefined || 'kind' in r ? undefined : r.text;
};

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

test('substituteList() stops at the list name whose items pass the budget, shared across lists', () => {
  const cond = 'a in (l) or b in (l) or c in (m)';
  const budget = { items: 5 };
  const first = substituteList(plainText(cond), list('l', ['1', '2']), Infinity, budget);
  assert.ok(first !== undefined && !('kind' in first));
  assert.equal(budget.items, 1);
  const second = substituteList(first, list('m', ['3', '4']), Infinity, budget);
  assert.ok(second !== undefined && 'kind' in second);
  assert.equal(second.limit, 'items');
  assert.equal(second.text.text.slice(second.start, second.end), 'm');
});

test('loadRules() refuses a condition whose list items pass LOAD_LIMITS.conditionValues at the list name, before parsing them', () => {
  // l1 holds 600k items (l0 600 times); naming it twice would put 1.2M values in the
  // condition. Refused at the second name, not after parsing 1.2M values (seconds and
  // hundreds of MB for a 5 KB file).
  const l0 = Array.from({ length: 1000 }, (_, i) => `v${i}`).join(', ');
  const l1 = Array((LOAD_LIMITS.conditionValues * 0.6) / 1000)
    .fill('l0')
    .join(', ');
  const content = `- list: l0\n  items: [${l0}]\n- list: l1\n  items: [${l1}]\n${ruleItem('r', 'ka.verb in (l1) or ka.uri in (l1)')}`;
  const r = loadRules([{ name: 'f.yaml', content }]);
  assert.equal(r.errors.length, 1, JSON.stringify(r.errors));
  const e = r.errors[0];
  assert.equal(e?.code, 'LOAD_ERR_COMPILE_CONDITION');
  assert.match(e?.message ?? '', /more than 1000000 list items once list 'l1' is substituted/);
  const at = e?.locations[e.locations.length - 1]?.position;
  assert.deepEqual({ line: at?.line, column: at?.column }, positionOf(content, 'l1)', 1));
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

// A collection of lists given as names and items, without a YAML parse (which would
// dominate the time of a 500k-item test).
function collectionOf(defs: readonly (readonly [string, readonly string[]])[]) {
  const file = createSourceFile('g.yaml', 'x');
  const node = { kind: 'scalar', file, start: 0, end: 1, value: 'x', style: 'plain' } as const;
  const col = createCollection();
  for (const [name, items] of defs) {
    const index = col.nextIndex++;
    col.lists.set(name, {
      name,
      items: items.map((value) => ({ value, node })),
      index,
      visibility: index,
      ctx: [{ itemType: 'list', itemName: name, position: positionAt(file, 0) }],
    });
  }
  const reporter = createReporter();
  reporter.files.set('g.yaml', file);
  return { col, reporter };
}

test('compileLists() builds a list from a list of 500k items (one push per item, no spread)', () => {
  const big = Array.from({ length: 500_000 }, (_, i) => `v${i}`);
  const { col, reporter } = collectionOf([
    ['big', big],
    ['copy', ['first', 'big', 'last']],
  ]);
  const lists = compileLists(col, reporter);
  assert.deepEqual(reporter.errors, []);
  const copy = lists.get('copy')?.items ?? [];
  assert.equal(copy.length, 500_002);
  assert.deepEqual(
    [copy[0], copy[1], copy[500_000], copy[500_001]],
    ['first', 'v0', 'v499999', 'last'],
  );
});

test('compileLists() refuses a list past LOAD_LIMITS.listItems at the item that includes too much', () => {
  const half = Array.from({ length: LOAD_LIMITS.listItems / 2 }, (_, i) => `v${i}`);
  const { col, reporter } = collectionOf([
    ['half', half],
    ['full', ['half', 'half']],
    ['over', ['half', 'half', 'one']],
    ['twice', ['half', 'half', 'half']],
  ]);
  const lists = compileLists(col, reporter);
  // Exactly the limit is allowed; one more item is not (`over` only passes it with a
  // literal, which is not a list included, so it stays allowed too).
  assert.equal(lists.get('full')?.items.length, LOAD_LIMITS.listItems);
  assert.equal(lists.get('over')?.items.length, LOAD_LIMITS.listItems + 1);
  assert.equal(reporter.errors.length, 1);
  const e = reporter.errors[0];
  assert.equal(e?.code, 'LOAD_ERR_VALIDATE');
  assert.equal(e?.locations[0]?.itemName, 'twice');
  assert.equal(e?.locations[1]?.itemName, 'half');
  assert.deepEqual(lists.get('twice')?.items, []);
});

test('compileLists() refuses lists that together pass LOAD_LIMITS.allListItems', () => {
  const quarter = LOAD_LIMITS.allListItems / 4;
  const big = Array.from({ length: quarter }, (_, i) => `v${i}`);
  const { col, reporter } = collectionOf([
    ['big', big],
    ['c1', ['big']],
    ['c2', ['big']],
    ['c3', ['big']],
    ['c4', ['big']],
  ]);
  const lists = compileLists(col, reporter);
  // big and c1..c3 hold exactly the limit together; c4 passes it.
  assert.equal(lists.get('c3')?.items.length, quarter);
  assert.equal(reporter.errors.length, 1);
  assert.equal(reporter.errors[0]?.locations[0]?.itemName, 'c4');
});

// compiler.cpp resolve_list transcribed on plain strings: the reference substituteList
// must agree with, occurrence by occurrence.
function falcoResolveList(
  input: string,
  name: string,
  items: readonly string[],
): string | undefined {
  const blanks = ' \t\n\r';
  const delims = `${blanks}(),=`;
  let cnd = input;
  let used = false;
  let start = cnd.indexOf(name);
  while (start !== -1) {
    let end = start + name.length;
    if (
      (start === 0 || delims.includes(cnd[start - 1] as string)) &&
      (end >= cnd.length || delims.includes(cnd[end] as string))
    ) {
      while (start > 0 && blanks.includes(cnd[start - 1] as string)) start--;
      while (end < cnd.length && blanks.includes(cnd[end] as string)) end++;
      let sub = '';
      for (const v of items) {
        if (sub !== '') sub += ', ';
        sub += v.includes(' ') && v[0] !== '"' && v[0] !== "'" ? `"${v}"` : v;
      }
      if (sub === '') {
        if (start > 0 && cnd[start - 1] === ',') start--;
        else if (end < cnd.length && cnd[end] === ',') end++;
      }
      let next = '';
      if (start > 0) next += `${cnd.slice(0, start)} `;
      next += `${sub} `;
      if (end <= cnd.length) next += cnd.slice(end);
      cnd = next;
      start += sub.length + 1;
      used = true;
    }
    start = cnd.indexOf(name, start + 1);
  }
  return used ? cnd : undefined;
}

test('substituteList() gives the text of Falco resolve_list, and keeps exact origins exact', () => {
  const token = fc.constantFrom(
    'lst',
    'lst',
    'lstx',
    'xlst',
    ' ',
    ' ',
    ',',
    '(',
    ')',
    '=',
    '\t',
    'a',
    'in',
  );
  const item = fc.constantFrom('a', 'b c', '"q r"', 'd\t', '', 'lst', ',');
  fc.assert(
    fc.property(
      fc.array(token, { maxLength: 24 }),
      fc.array(item, { maxLength: 4 }),
      (tokens, items) => {
        const text = tokens.join('');
        const file = createSourceFile('p.yaml', `c: ${text}`);
        const node = {
          kind: 'scalar',
          file,
          start: 3,
          end: 3 + text.length,
          value: text,
          style: 'plain',
        } as const;
        const out = substituteList(textOfScalar(node), { name: 'lst', items, used: false });
        const got = out === undefined || 'kind' in out ? undefined : out;
        assert.equal(got?.text, falcoResolveList(text, 'lst', items));
        let end = 0;
        for (const p of got?.pieces ?? []) {
          assert.ok(p.at >= end && p.at + p.length <= (got?.text.length ?? 0), 'pieces in order');
          end = p.at + p.length;
          if (p.exact) {
            assert.equal(
              got?.text.slice(p.at, end),
              text.slice(p.nodeOffset, p.nodeOffset + p.length),
            );
          }
        }
      },
    ),
    { seed: 11, numRuns: 2000 },
  );
});

test('substituteList() takes time linear in the occurrences of the list name', async () => {
  // 200k occurrences: rebuilding the text at each one (as resolve_list does) copies 10^11
  // characters; building the result once takes milliseconds. A worker bounds the time.
  const n = 200_000;
  const length = await runInWorker<number>(
    new URL('./helpers/substitute-probe.ts', import.meta.url),
    'substituteRepeated',
    n,
    60_000,
  );
  // resolve_list makes `a ` of the first name and ` a ` of each later one after its comma.
  assert.equal(falcoResolveList('lst,lst,lst', 'lst', ['a']), 'a , a , a ');
  assert.equal(length, 2 + (n - 1) * 4);
});
