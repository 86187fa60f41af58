import { type Code, joinCode, js } from '../codegen/index.ts';
import type { EventSource } from '../events/record.ts';
import type { FieldRegistry } from '../fields/field.ts';
import type { Expr } from '../lang/ast.ts';
import { createCodegenScope } from '../lang/index.ts';
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
 * their indices landing in `stepMatches`. Without steps the function is the same as
 * before there were any.
 */
export function compileDispatch(
  conditions: readonly Expr[],
  env: { readonly registry: FieldRegistry; readonly source: EventSource },
  first: boolean,
  steps: readonly Expr[] = [],
): Dispatch {
  const scope = createCodegenScope(env);
  const matches: number[] = [];
  const stepMatches: number[] = [];
  const M = scope.helper(matches, 'matches');
  const block = (i: number): Code => {
    const cond = conditions[i] as Expr;
    const hit = first ? js`${M}.push(${i}); return;` : js`${M}.push(${i});`;
    return js`if (${scope.emit(cond)}) { ${hit} }`;
  };
  const S = steps.length > 0 ? scope.helper(stepMatches, 'stepMatches') : undefined;
  const stepBlock = (j: number): Code =>
    js`if (${scope.emit(steps[j] as Expr)}) { ${S as Code}.push(${j}); }`;

  const all = [...steps, ...conditions];
  const blocks = [...steps.map((_, j) => stepBlock(j)), ...conditions.map((_, i) => block(i))];
  const verbDef = env.registry.get('jevt.value');
  const body =
    verbDef === undefined
      ? joinCode(blocks, '\n')
      : verbGuarded(
          scope,
          all,
          blocks,
          js`${scope.helper(verbDef.bind(VERB_KEY[env.source]), 'verb')}(r)`,
        );
  const built = scope.build<(r: unknown) => void>(body);
  return { run: built.fn, matches, stepMatches, source: built.source };
}
