import type { Expr, MacroRef, Span } from '../lang/ast.ts';
import { macroRefsIn, measureCondition } from './condition-size.ts';
import { LOAD_LIMITS } from './limits.ts';

/** A macro ready for expansion: its parsed condition (undefined if it did not parse). */
export interface ParsedMacro {
  readonly name: string;
  readonly index: number;
  readonly ast: Expr | undefined;
}

/**
 * A problem found while expanding: an unknown name, a reference loop, a macro that failed
 * to compile (broken), or an expansion nesting deeper than LOAD_LIMITS.conditionDepth.
 */
export interface ExpandProblem {
  readonly kind: 'unknown' | 'loop' | 'broken' | 'deep';
  readonly name: string;
  /**
   * The reference in the expanded item's own condition that leads to the problem (for
   * `deep` without one, the node of the item's own condition that is too deep).
   */
  readonly ref: Span;
  /** For a loop: the macros around it, first and last the same (`m1 -> m2 -> m1`). */
  readonly cycle?: readonly string[];
}

/** The expanded condition, the macros it pulled in, and the first problem if any. */
export interface ExpandResult {
  readonly expr: Expr;
  /** Every macro substituted, directly or nested, in first-use order. */
  readonly used: readonly string[];
  readonly problem?: ExpandProblem;
}

/**
 * Expansions of macros, kept across calls: a macro is expanded once and every reference
 * to it shares that tree, so the result is a DAG. An entry holds the highest definition
 * index among the macros it pulled in; it serves a call only when all of them are visible
 * there (a macro that expands with one visibility expands the same with a larger one).
 */
export type ExpansionCache = Map<string, { readonly expr: Expr; readonly maxIndex: number }>;

/** Every macro visible to anything (rules see all macros, whatever their order). */
export const MAX_VISIBILITY = Number.MAX_SAFE_INTEGER;

/**
 * A copy of a macro's expanded condition that says it came from `name` (outermost first):
 * the macro's own AST and its expansion are shared, so the mark goes on a copy.
 */
function markMacro(e: Expr, name: string): Expr {
  return { ...e, macros: [name, ...(e.macros ?? [])] };
}

/**
 * Replaces macro references by the macros' conditions (filter_macro_resolver): only macros
 * with `index < visibility` are visible; nested references resolve with the same
 * visibility; a macro reaching itself is a reference loop. The root of each substituted
 * condition carries the macro's name (NodeOrigin.macros) for explanations. Unlike Falco,
 * which clones a macro's tree into every reference, each macro is expanded once (per call,
 * or once for all calls sharing `cache`) and its marked tree is shared: `(m or m)` nested
 * 39 times is 40 nodes, not 2^40. The walk visits each macro once, so it is linear in the macros' text,
 * and stops at LOAD_LIMITS.conditionDepth, so its recursion is bounded too.
 */
export function expandMacros(
  expr: Expr,
  visibility: number,
  macros: ReadonlyMap<string, ParsedMacro>,
  self?: string,
  cache: ExpansionCache = new Map(),
): ExpandResult {
  let problem: ExpandProblem | undefined;
  let problems = 0;
  // Macros that failed in this call: their references stay, their problem is reported.
  const failed = new Set<string>();
  // The highest definition index seen in the macro being expanded (see ExpansionCache).
  let maxIndex = -1;
  const report = (p: ExpandProblem): void => {
    problem ??= p;
    problems++;
  };

  const expandRef = (e: MacroRef, stack: readonly string[], ref: Span, depth: number): Expr => {
    const m = macros.get(e.name);
    // The stack first: a reference back into the expansion is a loop whatever the
    // visibility (an append can make a macro refer to one defined after it).
    const at = stack.indexOf(e.name);
    if (at !== -1) {
      report({ kind: 'loop', name: e.name, ref, cycle: [...stack.slice(at), e.name] });
      return e;
    }
    if (m === undefined || m.index >= visibility) {
      report({ kind: 'unknown', name: e.name, ref });
      return e;
    }
    if (m.ast === undefined) {
      report({ kind: 'broken', name: m.name, ref });
      return e;
    }
    const hit = cache.get(m.name);
    if (hit !== undefined && hit.maxIndex < visibility) {
      if (depth + measureCondition(hit.expr).depth - 1 > LOAD_LIMITS.conditionDepth) {
        report({ kind: 'deep', name: m.name, ref });
        return e;
      }
      maxIndex = Math.max(maxIndex, hit.maxIndex);
      return hit.expr;
    }
    if (failed.has(m.name)) {
      problems++;
      return e;
    }
    // A chain of macros that only name the next one adds no depth, but still recursion.
    if (stack.length >= LOAD_LIMITS.conditionDepth) {
      report({ kind: 'deep', name: m.name, ref });
      return e;
    }
    const outer = maxIndex;
    const before = problems;
    maxIndex = m.index;
    // Marked once, on a copy of the expansion's root; the cache then shares that marked
    // tree with every later reference, which must not change it (nothing marks in place).
    const out = markMacro(visit(m.ast, [...stack, m.name], ref, depth), m.name);
    if (problems === before) cache.set(m.name, { expr: out, maxIndex });
    else failed.add(m.name);
    maxIndex = Math.max(outer, maxIndex);
    return out;
  };

  // `depth` is the node's depth in the expanded tree (the root is 1).
  const visit = (
    e: Expr,
    stack: readonly string[],
    rootRef: Span | undefined,
    depth: number,
  ): Expr => {
    if (e.kind === 'macro') return expandRef(e, stack, rootRef ?? e, depth);
    if (depth > LOAD_LIMITS.conditionDepth) {
      report({ kind: 'deep', name: stack[stack.length - 1] ?? '', ref: rootRef ?? e });
      return e;
    }
    switch (e.kind) {
      case 'and':
      case 'or': {
        const children = e.children.map((c) => visit(c, stack, rootRef, depth + 1));
        return children.every((c, i) => c === e.children[i]) ? e : { ...e, children };
      }
      case 'not': {
        const child = visit(e.child, stack, rootRef, depth + 1);
        return child === e.child ? e : { ...e, child };
      }
      case 'check':
        return e;
    }
  };

  const out = visit(expr, self === undefined ? [] : [self], undefined, 1);
  const used = listUsedMacros(expr, visibility, macros, self);
  return { expr: out, used, ...(problem === undefined ? {} : { problem }) };
}

/** The macro names `expr` refers to, in order, each once. */
function refsOf(expr: Expr): string[] {
  return [...new Set(macroRefsIn(expr).map((r) => r.name))];
}

// Direct references of each parsed macro, computed once per macro tree.
const REFS = new WeakMap<Expr, readonly string[]>();

function directRefs(expr: Expr): readonly string[] {
  let refs = REFS.get(expr);
  if (refs === undefined) {
    refs = refsOf(expr);
    REFS.set(expr, refs);
  }
  return refs;
}

/**
 * The visible macros `expr` pulls in, directly or nested, in the order a depth-first
 * expansion first substitutes them (each macro's references are listed once).
 */
function listUsedMacros(
  expr: Expr,
  visibility: number,
  macros: ReadonlyMap<string, ParsedMacro>,
  self: string | undefined,
): string[] {
  const used: string[] = [];
  const seen = new Set<string>(self === undefined ? [] : [self]);
  // Depth-first with an explicit stack: macro chains can be longer than the call stack.
  const pending: { readonly refs: readonly string[]; next: number }[] = [
    { refs: refsOf(expr), next: 0 },
  ];
  while (pending.length > 0) {
    const top = pending[pending.length - 1] as { readonly refs: readonly string[]; next: number };
    const name = top.refs[top.next++];
    if (name === undefined) {
      pending.pop();
      continue;
    }
    const m = macros.get(name);
    if (seen.has(name) || m === undefined || m.index >= visibility) continue;
    seen.add(name);
    used.push(name);
    if (m.ast !== undefined) pending.push({ refs: directRefs(m.ast), next: 0 });
  }
  return used;
}
