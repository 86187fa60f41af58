import type { LoadedRule } from '../../rules/index.ts';
import type { CorrelationKindState } from './kind.ts';
import type { CorrelatedOutput } from './output.ts';
import type { Suppression } from './suppression.ts';

/** One stateful rule, compiled for the correlator. */
export interface RulePlan {
  readonly rule: LoadedRule;
  readonly fingerprint: string;
  readonly output: CorrelatedOutput;
  readonly kind?: CorrelationKindState;
  readonly suppression?: Suppression;
  /** Labels of the group values: the rule's `by`, then its first step's. */
  readonly labels: readonly string[];
  readonly window: string;
}

/** What to write with the next spool commit: rows of the correlation state. */
export interface StateChanges {
  /** Replace every stored row by `upserts` (after a restore that dropped rows, or a swap). */
  readonly replace: boolean;
  readonly upserts: readonly (readonly [key: string, value: string])[];
  readonly deletes: readonly string[];
}
