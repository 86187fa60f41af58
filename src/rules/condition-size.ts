import type { Expr, MacroRef } from '../lang/ast.ts';
import { LOAD_LIMITS } from './limits.ts';
import { MSG } from './messages.ts';

/** The size of an expanded condition as if every shared macro tree were copied out. */
export interface ConditionSize {
  /** `and`, `or`, `not` and check nodes. */
  readonly nodes: number;
  /** Values on the right of checks, list items included. */
  readonly values: number;
  /** Nesting depth (a lone check is 1). */
  readonly depth: number;
}

// Expanded trees are immutable and shared, so a node's size is computed once.
const SIZES = new WeakMap<Expr, ConditionSize>();

// Sums stay exact up to 2^53; past that they only need to stay over every limit.
const add = (a: number, b: number): number => Math.min(a + b, Number.MAX_SAFE_INTEGER);

/**
 * Measures an expanded condition in time linear in its distinct nodes, however many
 * times macros repeat inside it (a DAG of 40 nodes can stand for 2^40).
 */
export function measureCondition(expr: Expr): ConditionSize {
  const known = SIZES.get(expr);
  if (known !== undefined) return known;
  let size: ConditionSize;
  switch (expr.kind) {
    case 'and':
    case 'or': {
      let nodes = 1;
      let values = 0;
      let depth = 0;
      for (const c of expr.children) {
        const s = measureCondition(c);
        nodes = add(nodes, s.nodes);
        values = add(values, s.values);
        depth = Math.max(depth, s.depth);
      }
      size = { nodes, values, depth: depth + 1 };
      break;
    }
    case 'not': {
      const s = measureCondition(expr.child);
      size = { nodes: add(s.nodes, 1), values: s.values, depth: s.depth + 1 };
      break;
    }
    case 'check': {
      const rhs = expr.rhs;
      const values = rhs?.kind === 'list' ? rhs.items.length : rhs?.kind === 'value' ? 1 : 0;
      size = { nodes: 1, values, depth: 1 };
      break;
    }
    case 'macro':
      size = { nodes: 1, values: 0, depth: 1 };
      break;
  }
  SIZES.set(expr, size);
  return size;
}

/** A condition over a limit: the message, and which of its macro references to blame. */
export interface SizeProblem {
  readonly message: string;
  /** The reference contributing most to the exceeded measure, if the condition has one. */
  readonly ref?: MacroRef;
}

type Measure = 'nodes' | 'values';

// Depth is not here: expandMacros stops at LOAD_LIMITS.conditionDepth itself.
const LIMIT_OF: Readonly<Record<Measure, number>> = {
  nodes: LOAD_LIMITS.conditionNodes,
  values: LOAD_LIMITS.conditionValues,
};

/**
 * Checks one expanded condition against the per-condition limits. `own` is the condition
 * as written (macro references not expanded) and `expanded` its expansion; the blamed
 * reference is the one in `own` whose macro is largest by the measure that is over.
 */
export function checkConditionSize(
  own: Expr,
  expanded: Expr,
  resolve: (ref: MacroRef) => Expr | undefined,
): SizeProblem | undefined {
  const size = measureCondition(expanded);
  const over = (Object.keys(LIMIT_OF) as Measure[]).find((k) => size[k] > LIMIT_OF[k]);
  if (over === undefined) return undefined;
  let ref: MacroRef | undefined;
  let best = -1;
  for (const r of macroRefsIn(own)) {
    const target = resolve(r);
    const n = target === undefined ? -1 : measureCondition(target)[over];
    if (n > best) {
      best = n;
      ref = r;
    }
  }
  const blame = ref === undefined ? undefined : { name: ref.name, amount: best };
  const message = MSG.conditionTooLarge(over, size[over], LIMIT_OF[over], blame);
  return ref === undefined ? { message } : { message, ref };
}

/** The macro references of a condition as written, in order. */
export function macroRefsIn(expr: Expr, out: MacroRef[] = []): MacroRef[] {
  switch (expr.kind) {
    case 'and':
    case 'or':
      for (const c of expr.children) macroRefsIn(c, out);
      return out;
    case 'not':
      return macroRefsIn(expr.child, out);
    case 'check':
      return out;
    case 'macro':
      out.push(expr);
      return out;
  }
}
