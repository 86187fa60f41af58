import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LOAD_LIMITS } from '../../src/rules/limits.ts';
import { loadRules } from '../../src/rules/load.ts';
import { runInWorker } from '../helpers/bounded-worker.ts';
import type { Expansion } from './helpers/expand-probe.ts';
import { macroCycle, ruleItem } from './helpers/hostile-rules.ts';

const PROBE = new URL('./helpers/expand-probe.ts', import.meta.url);

function doubling(levels: number): string[] {
  const conds = ['ka.verb = get'];
  for (let i = 1; i <= levels; i++) conds.push(`(m${i - 1} or m${i - 1})`);
  return conds;
}

test('expandMacros() shares a macro tree between its uses: 39 levels of (m or m) are 40 nodes', async () => {
  const r = await runInWorker<Expansion>(
    PROBE,
    'expandWith',
    { conditions: doubling(39), condition: 'm39' },
    60_000,
  );
  assert.equal(r.problem, undefined);
  assert.equal(r.shared, true);
  // As a tree it is 2^40 - 1 nodes; measured on the DAG, not built.
  assert.equal(r.nodes, 2 ** 40 - 1);
  assert.equal(r.used.length, 40);
});

test('expandMacros() lists used macros in the order a tree walk first substitutes them', async () => {
  // m3 uses m1 then m0; m2 uses m0; the condition uses m3 then m2: first uses are
  // m3, m1 (inside m3), m0 (inside m1), m2.
  const r = await runInWorker<Expansion>(
    PROBE,
    'expandWith',
    {
      conditions: ['ka.verb = a', 'not m0', 'm0 and ka.verb = b', 'm1 or m0'],
      condition: 'm3 and m2',
    },
    60_000,
  );
  assert.deepEqual(r.used, ['m3', 'm1', 'm0', 'm2']);
});

test('expandMacros() stops a chain of macros past LOAD_LIMITS.conditionDepth (no stack overflow)', async () => {
  // m<i> names the one before: no depth in the tree, all of it in recursion.
  const n = LOAD_LIMITS.conditionDepth * 3;
  const conds = ['ka.verb = a', ...Array.from({ length: n }, (_, i) => `m${i}`)];
  const r = await runInWorker<Expansion>(
    PROBE,
    'expandWith',
    { conditions: conds, condition: `m${n}` },
    60_000,
  );
  assert.equal(r.problem?.kind, 'deep');
});

test('loadRules() names a two-macro cycle, m1 -> m2 -> m1, at the reference that closes it', () => {
  const content = macroCycle();
  const r = loadRules([{ name: 'c.yaml', content }]);
  const e = r.errors.find((x) => x.locations[0]?.itemName === 'm1');
  assert.equal(e?.code, 'LOAD_ERR_VALIDATE');
  assert.equal(e?.message, "reference loop in macro 'm1': m1 -> m2 -> m1");
  const at = e?.locations[e.locations.length - 1]?.position;
  assert.equal(at?.offset, content.indexOf('or m2') + 3);
  assert.equal(e?.conditionOffset, 3);
});

test('loadRules() reports a too large expansion once, at the first macro over the limit', () => {
  // Each macro doubles the one before; rules use the largest: only one error.
  const conds = doubling(30);
  const content = `${conds.map((c, i) => `- macro: m${i}\n  condition: ${c}\n`).join('')}${ruleItem('r1', 'm30')}${ruleItem('r2', 'm29 and m30')}`;
  const r = loadRules([{ name: 'd.yaml', content }]);
  assert.equal(r.errors.length, 1);
  const e = r.errors[0];
  assert.equal(e?.code, 'LOAD_ERR_COMPILE_CONDITION');
  let k = 0;
  while (2 ** (k + 1) - 1 <= LOAD_LIMITS.conditionNodes) k++;
  assert.equal(e?.locations[0]?.itemName, `m${k}`);
  assert.equal(
    e?.locations[e.locations.length - 1]?.position.offset,
    content.indexOf(`(m${k - 1} or`) + 1,
  );
  assert.deepEqual(r.rules, []);
});

test('loadRules() bounds the expanded conditions of all rules together', () => {
  // Rules of `size` nodes each, under the limit for one condition: the first rule that
  // does not fit in the load's limit is refused, once, and a later rule that fits loads.
  let k = 0;
  while (2 ** (k + 2) - 1 <= LOAD_LIMITS.allConditionNodes / 4) k++;
  const conds = doubling(k);
  const size = 2 ** (k + 1) - 1;
  const fit = Math.floor(LOAD_LIMITS.allConditionNodes / size);
  const rules = Array.from({ length: fit + 2 }, (_, i) => ruleItem(`r${i}`, `m${k}`)).join('');
  const content = `${conds.map((c, i) => `- macro: m${i}\n  condition: ${c}\n`).join('')}${rules}${ruleItem('small', 'ka.verb = x')}`;
  const r = loadRules([{ name: 't.yaml', content }]);
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0]?.locations[0]?.itemName, `r${fit}`);
  assert.deepEqual(
    r.rules.map((x) => x.name),
    [...Array.from({ length: fit }, (_, i) => `r${i}`), 'small'],
  );
});
