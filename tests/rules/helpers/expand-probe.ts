// Expands macro chains in a worker (see runInWorker): an expander that copies each
// macro's tree into every use (2^levels nodes) ends in a terminated worker, not a hang.
import type { Expr } from '../../../src/lang/ast.ts';
import { parseCondition } from '../../../src/lang/parser.ts';
import { measureCondition } from '../../../src/rules/condition-size.ts';
import { expandMacros, MAX_VISIBILITY, type ParsedMacro } from '../../../src/rules/expand.ts';

/** Macros named `m<i>` in definition order, each with its condition text. */
export function macrosOf(conditions: readonly string[]): Map<string, ParsedMacro> {
  return new Map(
    conditions.map((c, index) => [
      `m${index}`,
      { name: `m${index}`, index, ast: parseCondition(c) },
    ]),
  );
}

export interface Expansion {
  readonly problem?: {
    readonly kind: string;
    readonly name: string;
    readonly cycle?: readonly string[];
  };
  readonly used: readonly string[];
  readonly nodes: number;
  /** Whether the two children of every `or` on the leftmost path are the same object. */
  readonly shared: boolean;
}

/** Expands `condition` with the macros `m0..` of `conditions`, all visible. */
export function expandWith(input: {
  readonly conditions: readonly string[];
  readonly condition: string;
}): Expansion {
  const r = expandMacros(
    parseCondition(input.condition),
    MAX_VISIBILITY,
    macrosOf(input.conditions),
  );
  let shared = true;
  for (let e: Expr = r.expr; e.kind === 'or'; e = e.children[0] as Expr) {
    shared &&= e.children[0] === e.children[1];
  }
  return {
    ...(r.problem === undefined
      ? {}
      : {
          problem: {
            kind: r.problem.kind,
            name: r.problem.name,
            ...(r.problem.cycle ? { cycle: r.problem.cycle } : {}),
          },
        }),
    used: r.used,
    nodes: r.problem === undefined ? measureCondition(r.expr).nodes : -1,
    shared,
  };
}
