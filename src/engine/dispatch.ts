import { type Code, joinCode, js } from '../codegen/index.ts';
import type { EventSource } from '../events/record.ts';
import type { FieldRegistry } from '../fields/field.ts';
import type { Expr } from '../lang/ast.ts';
import { type CodegenScope, createCodegenScope } from '../lang/index.ts';
import { verbGuarded } from './verb-guard.ts';

/** The rule conditions of one source, compiled into a single function. */
export interface Dispatch {
  /** Evaluates the event; matching rule indices (into the input array) land in `matches`. */
  readonly run: (r: unknown) => void;
  /** Filled by `run`; the caller empties it (length = 0) after reading. */
  readonly matches: number[];
  /** Indices into `steps` of compileDispatch that matched, in order; emptied by the caller. */
  readonly stepMatches: number[];
  /** The generated source, for `rules explain` and `--dump-js`. */
  readonly source: string;
}

// The guards read the event's raw verb through a JSON pointer: unlike ka.verb it is
// present even without an auditID, so rules constrained through jevt.value[/verb] are
// still reached, and it renders exactly as ka.verb (and kar.verb) do when those exist.
const VERB_KEY: Readonly<Record<EventSource, string>> = {
  k8s_audit: '/verb',
  k8s_admission: '/request/operation',
};

/**
 * Generates one function that evaluates every rule of a source in definition order,
 * the rules that require some verbs behind a bit test on the event's verb (verbGuarded)
 * so that an event is checked only against rules whose verb requirement it meets. Field
 * reads are cached per event across all rules (the codegen scope's prologue). With
 * `first`, the function returns at the first match, which is Falco's default
 * `rule_matching: first`.
 *
 * `steps` are the conditions of stateful rules (correlation steps): they run before the
 * rules, each one always (a step never stops the others, and `first` never skips it),
 * their indices landing in `stepMatches`. They are generated into a second function of
 * their own, verb-guarded the same way, and the rules' function is exactly the one
 * without steps. One function for both cost more than the steps' work: TurboFan compiles
 * the dispatch function again after each deoptimization, a step reached for the first
 * time deoptimized the whole of it, and a larger function compiles more than
 * proportionally slower (docs/performance.md, "Correlation").
 */
export function compileDispatch(
  conditions: readonly Expr[],
  env: { readonly registry: FieldRegistry; readonly source: EventSource },
  first: boolean,
  steps: readonly Expr[] = [],
): Dispatch {
  const matches: number[] = [];
  const stepMatches: number[] = [];
  const rules = compileBlocks(conditions, env, (scope, i) => {
    const M = scope.helper(matches, 'matches');
    return first ? js`${M}.push(${i}); return;` : js`${M}.push(${i});`;
  });
  if (steps.length === 0) return { run: rules.fn, matches, stepMatches, source: rules.source };
  const stepFn = compileBlocks(steps, env, (scope, j) => {
    const S = scope.helper(stepMatches, 'stepMatches');
    return js`${S}.push(${j});`;
  });
  const runRules = rules.fn;
  const runSteps = stepFn.fn;
  return {
    run: (r) => {
      runSteps(r);
      runRules(r);
    },
    matches,
    stepMatches,
    source: `${stepFn.source}\n${rules.source}`,
  };
}

/**
 * One generated function running `if (condition) { hit }` per condition, in order, behind
 * the verb guards; field reads cached across its conditions.
 */
function compileBlocks(
  conditions: readonly Expr[],
  env: { readonly registry: FieldRegistry; readonly source: EventSource },
  hit: (scope: CodegenScope, i: number) => Code,
): { fn: (r: unknown) => void; source: string } {
  const scope = createCodegenScope(env);
  const blocks = conditions.map((c, i) => js`if (${scope.emit(c)}) { ${hit(scope, i)} }`);
  const verbDef = env.registry.get('jevt.value');
  const body =
    verbDef === undefined
      ? joinCode(blocks, '\n')
      : verbGuarded(
          scope,
          conditions,
          blocks,
          js`${scope.helper(verbDef.bind(VERB_KEY[env.source]), 'verb')}(r)`,
        );
  const built = scope.build<(r: unknown) => void>(body);
  return { fn: built.fn, source: built.source };
}
