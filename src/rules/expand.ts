import type { Expr, MacroRef } from '../lang/ast.ts';

/** A macro ready for expansion: its parsed condition (undefined if it did not parse). */
export interface ParsedMacro {
  readonly name: string;
  readonly index: number;
  readonly ast: Expr | undefined;
}

/** A problem found while expanding: an unknown name or a reference loop. */
export interface ExpandProblem {
  readonly kind: 'unknown' | 'loop' | 'broken';
  readonly name: string;
  /** The reference in the expanded item's own condition that leads to the problem. */
  readonly ref: MacroRef;
}

/** The expanded condition, the macros it pulled in, and the first problem if any. */
export interface ExpandResult {
  readonly expr: Expr;
  /** Every macro substituted, directly or nested, in first-use order. */
  readonly used: readonly string[];
  readonly problem?: ExpandProblem;
}

/** Every macro visible to anything (rules see all macros, whatever their order). */
export const MAX_VISIBILITY = Number.MAX_SAFE_INTEGER;

/**
 * A copy of a macro's expanded condition that says it came from `name` (outermost first):
 * the macro's own AST is shared by every reference, so the mark goes on a copy.
 */
function markMacro(e: Expr, name: string): Expr {
  return { ...e, macros: [name, ...(e.macros ?? [])] };
}

/**
 * Replaces macro references by the macros' conditions (filter_macro_resolver): only macros
 * with `index < visibility` are visible; nested references resolve with the same
 * visibility; a macro reaching itself is a reference loop. The root of each substituted
 * condition carries the macro's name (NodeOrigin.macros) for explanations.
 */
export function expandMacros(
  expr: Expr,
  visibility: number,
  macros: ReadonlyMap<string, ParsedMacro>,
  self?: string,
): ExpandResult {
  const used: string[] = [];
  let problem: ExpandProblem | undefined;
  const visit = (e: Expr, stack: readonly string[], rootRef: MacroRef | undefined): Expr => {
    switch (e.kind) {
      case 'and':
      case 'or': {
        const children = e.children.map((c) => visit(c, stack, rootRef));
        return children.every((c, i) => c === e.children[i]) ? e : { ...e, children };
      }
      case 'not': {
        const child = visit(e.child, stack, rootRef);
        return child === e.child ? e : { ...e, child };
      }
      case 'check':
        return e;
      case 'macro': {
        const ref = rootRef ?? e;
        const m = macros.get(e.name);
        if (m === undefined || m.index >= visibility) {
          problem ??= { kind: 'unknown', name: e.name, ref };
          return e;
        }
        if (stack.includes(m.name)) {
          problem ??= { kind: 'loop', name: m.name, ref };
          return e;
        }
        if (!used.includes(m.name)) used.push(m.name);
        if (m.ast === undefined) {
          problem ??= { kind: 'broken', name: m.name, ref };
          return e;
        }
        return markMacro(visit(m.ast, [...stack, m.name], ref), m.name);
      }
    }
  };
  const out = visit(expr, self === undefined ? [] : [self], undefined);
  return { expr: out, used, ...(problem === undefined ? {} : { problem }) };
}
