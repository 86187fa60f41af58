import { type Code, codeName, joinCode, js } from '../codegen/index.ts';
import type { Expr } from '../lang/ast.ts';
import type { CodegenScope } from '../lang/index.ts';
import { analyzeRequirements } from './requirements.ts';

// Verbs beyond the bits of a small integer (no real rule set comes near) give up the
// guards, never the answers.
const MAX_GUARDED_VERBS = 30;

/**
 * Joins one code block per condition, in order, each block of a condition that can match
 * only some verbs (analyzeRequirements) behind a bit test on the event's verb, so that an
 * event runs only the blocks whose verb requirement it meets. `verb` is code reading the
 * verb (a string when there is one). Each block appears once: a `switch` per verb (tried
 * before) repeated every unconstrained block in each branch, which made the generated
 * function a third larger and gave each copy its own type feedback, so the JIT threw the
 * whole function away whenever a copy first ran.
 *
 * @example js`${verbGuarded(scope, conditions, blocks, js`r.obj.verb`)}\nreturn false;`
 */
export function verbGuarded(
  scope: CodegenScope,
  conditions: readonly Expr[],
  blocks: readonly Code[],
  verb: Code,
): Code {
  const verbSets = conditions.map((c) => analyzeRequirements(c).verbs);
  const verbs = new Set<string>();
  for (const s of verbSets) for (const v of s ?? []) verbs.add(v);
  if (verbs.size === 0 || verbs.size > MAX_GUARDED_VERBS) return joinCode(blocks, '\n');
  const bits = new Map([...verbs].map((v, i) => [v, 2 ** i] as const));
  // One boolean per distinct mask, computed up front on every call: blocks then test a
  // boolean, which carries no type feedback. A bit test in front of a block that no
  // event had reached yet had none, and threw the optimized function away on first use.
  const masks = new Map<number, Code>();
  const guarded = blocks.map((b, i) => {
    const s = verbSets[i];
    if (s === undefined) return b;
    let mask = 0;
    for (const v of s) mask |= bits.get(v) ?? 0;
    let q = masks.get(mask);
    if (q === undefined) {
      q = codeName(`q${masks.size}`);
      masks.set(mask, q);
    }
    return js`if (${q}) { ${b} }`;
  });
  const bitOf = scope.helper(bits, 'verbBits');
  const flags = joinCode(
    [...masks].map(([mask, q]) => js`${q} = (vb & ${mask}) !== 0`),
    ', ',
  );
  return js`const v = ${verb};\nconst vb = typeof v === 'string' ? (${bitOf}.get(v) ?? 0) : 0;\nconst ${flags};\n${joinCode(guarded, '\n')}`;
}
