import type { CheckExpr, Expr, ListLit, Operator } from './ast.ts';
import { type CheckEnv, checkExpr } from './check.ts';
import { printExpr } from './print.ts';
import { resolveOperand } from './resolve.ts';

/** The kinds of change a mutant makes to one part of a condition. */
export type MutationKind =
  | 'and-to-or'
  | 'or-to-and'
  | 'drop-not'
  | 'drop-item'
  | 'empty-list'
  | 'operator';

/** A condition with one part changed, and what was changed. */
export interface Mutant {
  readonly kind: MutationKind;
  readonly expr: Expr;
  /** What changed, e.g. "`and` → `or`", "removed 'watch'", "emptied list kaudit_x". */
  readonly change: string;
  /** The part that changed, as printed (cut to 160 characters). */
  readonly part: string;
  /** The macros the part sits in, outermost first. */
  readonly macros: readonly string[];
}

/** Comparison operators and the one each is flipped to (boundary and equality mutants). */
const FLIPPED: Partial<Record<Operator, Operator>> = {
  '=': '!=',
  '==': '!=',
  '!=': '=',
  '<': '<=',
  '<=': '<',
  '>': '>=',
  '>=': '>',
  startswith: 'endswith',
  endswith: 'startswith',
};

function cut(s: string): string {
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}

type Rebuild = (replacement: Expr) => Expr;
type Emit = (kind: MutationKind, replacement: Expr, change: string, part: Expr) => void;

/**
 * Every single-change mutant of a condition, in tree order: each `and` turned into
 * `or` and back, each `not` dropped, each item of a written list removed (a list
 * substituted from a `list:` item is emptied as a whole: allow-lists are data, and a
 * test per item would test the data), and each comparison flipped (`=`↔`!=`, `<`↔`<=`,
 * `>`↔`>=`, `startswith`↔`endswith`, and `in`↔`intersects` on list fields, where they
 * differ). Mutants that no longer check (an operator a field does not take) are left out.
 *
 * @example listMutants(rule.condition, { registry, source: 'k8s_audit' }).length
 */
export function listMutants(expr: Expr, env: CheckEnv): Mutant[] {
  const out: Mutant[] = [];
  const visit = (e: Expr, rebuild: Rebuild, macros: readonly string[]): void => {
    const here = e.macros === undefined ? macros : [...macros, ...e.macros];
    const emit: Emit = (kind, replacement, change, part) => {
      const mutated = rebuild(replacement);
      if (checkExpr(mutated, env).length > 0) return;
      out.push({
        kind,
        expr: mutated,
        change,
        part: cut(printExpr(part, { listNames: true })),
        macros: here,
      });
    };
    switch (e.kind) {
      case 'and':
      case 'or': {
        const other = e.kind === 'and' ? 'or' : 'and';
        emit(
          e.kind === 'and' ? 'and-to-or' : 'or-to-and',
          { ...e, kind: other },
          `\`${e.kind}\` → \`${other}\``,
          e,
        );
        e.children.forEach((c, i) => {
          visit(
            c,
            (r) => rebuild({ ...e, children: e.children.map((x, j) => (j === i ? r : x)) }),
            here,
          );
        });
        return;
      }
      case 'not':
        emit('drop-not', e.child, 'dropped `not`', e);
        visit(e.child, (r) => rebuild({ ...e, child: r }), here);
        return;
      case 'macro':
        return;
      case 'check':
        mutateCheck(e, env, emit);
    }
  };
  visit(expr, (r) => r, []);
  return out;
}

function mutateCheck(c: CheckExpr, env: CheckEnv, emit: Emit): void {
  const flipped = flipOperator(c, env);
  if (flipped !== undefined)
    emit('operator', { ...c, op: flipped }, `\`${c.op}\` → \`${flipped}\``, c);
  const rhs = c.rhs;
  if (rhs?.kind !== 'list') return;
  const withItems = (items: ListLit['items']): CheckExpr => ({ ...c, rhs: { ...rhs, items } });
  rhs.items.forEach((item, i) => {
    if (item.list !== undefined) return;
    emit('drop-item', withItems(rhs.items.filter((_, j) => j !== i)), `removed '${item.value}'`, c);
  });
  for (const name of rhs.lists ?? []) {
    const kept = rhs.items.filter((x) => x.list !== name);
    // A list that is already empty leaves nothing to remove: no mutant.
    if (kept.length < rhs.items.length)
      emit('empty-list', withItems(kept), `emptied list ${name}`, c);
  }
}

function flipOperator(c: CheckExpr, env: CheckEnv): Operator | undefined {
  if (c.op === 'in' || c.op === 'intersects') {
    // On a single value `in` and `intersects` mean the same: flipping them changes nothing.
    if (c.modifier !== undefined || !resolveOperand(c.lhs, env).isList) return undefined;
    return c.op === 'in' ? 'intersects' : 'in';
  }
  return FLIPPED[c.op];
}
