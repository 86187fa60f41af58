import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CheckExpr, Expr } from '../../src/lang/ast.ts';
import { LOAD_LIMITS } from '../../src/rules/limits.ts';
import { loadRules } from '../../src/rules/load.ts';

// Issue #11's bounds and shared macro expansion on the path every condition takes
// (compile-condition.ts), correlation steps included, with #14's origin marks intact.

const load = (content: string) => loadRules([{ name: 'b.yaml', content }]);

/** A sequence rule of two steps with the given conditions. */
function sequence(name: string, first: string, second: string): string {
  return `- rule: ${name}
  desc: d
  correlate:
    type: sequence
    within: 1m
    by: [ka.user.name]
    steps:
      - name: a
        condition: ${first}
      - name: b
        condition: ${second}
  output: "%ka.user.name"
  priority: WARNING
  source: k8s_audit
`;
}

/** Macros m0..m<levels>, each `(m<i-1> or m<i-1>)`: m<k> stands for 2^(k+1) - 1 nodes. */
function doublingMacros(levels: number): string {
  const out = ['- macro: m0\n  condition: ka.verb = get\n'];
  for (let i = 1; i <= levels; i++) {
    out.push(`- macro: m${i}\n  condition: (m${i - 1} or m${i - 1})\n`);
  }
  return out.join('');
}

test('a correlation step over LOAD_LIMITS.conditionNodes is refused at its rule', () => {
  // The largest macro under the limit for one condition, used twice by one step.
  let k = 0;
  while (2 ** (k + 2) - 1 <= LOAD_LIMITS.conditionNodes) k++;
  assert.ok(2 * (2 ** (k + 1) - 1) + 1 > LOAD_LIMITS.conditionNodes);
  const r = load(`${doublingMacros(k)}${sequence('Big', 'ka.verb = list', `m${k} and m${k}`)}`);
  assert.equal(r.errors.length, 1, JSON.stringify(r.errors));
  assert.equal(r.errors[0]?.code, 'LOAD_ERR_COMPILE_CONDITION');
  assert.equal(r.errors[0]?.locations[0]?.itemName, 'Big');
  assert.match(r.errors[0]?.message ?? '', /after macro expansion/);
});

test('correlation steps count toward the bound on all conditions of a load', () => {
  // Steps of `size` nodes each: the load's total fills up through steps alone.
  let k = 0;
  while (2 ** (k + 2) - 1 <= LOAD_LIMITS.allConditionNodes / 4) k++;
  const size = 2 ** (k + 1) - 1;
  const fit = Math.floor(LOAD_LIMITS.allConditionNodes / (2 * size));
  const rules = Array.from({ length: fit + 1 }, (_, i) => sequence(`s${i}`, `m${k}`, `m${k}`));
  const r = load(`${doublingMacros(k)}${rules.join('')}`);
  assert.equal(r.errors.length, 1, JSON.stringify(r.errors.map((e) => e.message)));
  assert.match(r.errors[0]?.message ?? '', /together/);
  assert.equal(r.errors[0]?.locations[0]?.itemName, `s${fit}`);
  assert.equal(r.rules.length, fit);
});

test('a step naming a list past LOAD_LIMITS.conditionValues is refused before parsing', () => {
  const items = Array.from({ length: 1000 }, (_, i) => `v${i}`).join(', ');
  const uses = Math.floor(LOAD_LIMITS.conditionValues / 1000) + 1;
  const cond = Array.from({ length: uses }, () => 'ka.verb in (big)').join(' or ');
  const r = load(`- list: big\n  items: [${items}]\n${sequence('Wide', 'ka.verb = get', cond)}`);
  assert.equal(r.errors[0]?.code, 'LOAD_ERR_COMPILE_CONDITION');
  assert.match(r.errors[0]?.message ?? '', /list 'big'/);
  assert.equal(r.errors[0]?.locations[0]?.itemName, 'Wide');
});

const MARKED = `- list: verbs
  items: [get, list]
- macro: reads
  condition: ka.verb in (verbs)
- macro: outer
  condition: reads and ka.target.resource = pods
- macro: again
  condition: reads
`;

function conditionOf(content: string, rule: string, step?: number): Expr {
  const r = load(content);
  assert.equal(r.ok, true, JSON.stringify(r.errors));
  const loaded = r.rules.find((x) => x.name === rule);
  assert.ok(loaded !== undefined, rule);
  const cond = step === undefined ? loaded.condition : loaded.correlation?.steps[step]?.condition;
  assert.ok(cond !== undefined);
  return cond;
}

test('shared macro expansions keep their origin marks, unchanged by each reference', () => {
  const rule = `- rule: R\n  desc: d\n  condition: outer and reads and again\n  output: o\n  priority: WARNING\n  source: k8s_audit\n`;
  const e = conditionOf(`${MARKED}${rule}`, 'R');
  assert.equal(e.kind, 'and');
  if (e.kind !== 'and') return;
  const [outer, reads, again] = e.children as [Expr, Expr, Expr];
  assert.deepEqual(outer.macros, ['outer']);
  // `again` is `reads` marked once more, on a copy: the shared expansion of `reads`, used
  // again by the rule itself, is still marked only `reads`.
  assert.deepEqual(again.macros, ['again', 'reads']);
  assert.deepEqual(reads.macros, ['reads']);
  assert.equal(outer.kind, 'and');
  if (outer.kind !== 'and') return;
  assert.equal(outer.children[0], reads, 'one expansion of reads, shared');
  const check = reads as CheckExpr;
  assert.equal(check.rhs?.kind, 'list');
  if (check.rhs?.kind !== 'list') return;
  assert.deepEqual(check.rhs.lists, ['verbs']);
  assert.deepEqual(
    check.rhs.items.map((i) => i.list),
    ['verbs', 'verbs'],
  );
});

test('a correlation step keeps its macro, list and exception marks', () => {
  const rule = `${sequence('S', 'outer', 'reads and ka.verb in (verbs)').replace(
    '  output:',
    '  exceptions:\n    - name: admins\n      fields: ka.user.name\n      values: [admin]\n  output:',
  )}`;
  const first = conditionOf(`${MARKED}${rule}`, 'S', 0);
  // (outer) and not (ka.user.name = admin)
  assert.equal(first.kind, 'and');
  if (first.kind !== 'and') return;
  assert.deepEqual(first.children[0]?.macros, ['outer']);
  assert.equal((first.children[1] as { exception?: string }).exception, 'admins');
  const second = conditionOf(`${MARKED}${rule}`, 'S', 1);
  assert.equal(second.kind, 'and');
  if (second.kind !== 'and') return;
  const own = second.children[0];
  assert.equal(own?.kind, 'and');
  if (own?.kind !== 'and') return;
  assert.deepEqual(own.children[0]?.macros, ['reads']);
  const check = own.children[1] as CheckExpr;
  assert.equal(check.rhs?.kind === 'list' ? check.rhs.lists?.[0] : undefined, 'verbs');
});
