import type { AlertFieldValue } from '../alert.ts';

/**
 * A stateful rule's alert as far as one event decides it: rendered when the event matched,
 * since the event is gone (or on another thread) by the time the rule fires.
 */
export interface PendingAlert {
  /** The output's text between its `correlation.*` fields: one more piece than fields. */
  readonly pieces: readonly string[];
  /** The event's output fields; the correlation ones are added when the rule fires. */
  readonly fields: Readonly<Record<string, AlertFieldValue>>;
  readonly eventId?: string;
  readonly origin?: string;
  readonly line?: number;
  /** The event's JSON text, when the engine keeps events (serve). */
  readonly eventText?: string;
}

/**
 * One event matching one step of a stateful rule (a correlated rule, or a rule with
 * `suppress`): plain data, sent from scanning threads to the thread that correlates and
 * kept with the spool in `kaudit serve` until it is correlated.
 */
export interface StepMatch {
  /** Index of the rule among the engine's stateful rules (the same on every thread). */
  readonly rule: number;
  readonly step: number;
  /** Event time (stageTimestamp) in ns since the epoch, decimal text. */
  readonly timeNs: string;
  /**
   * Group key values (the rule's `by`, then the step's), one array per combination: a
   * list-valued term joins the event under each of its values. Empty for no combination.
   */
  readonly keys: readonly (readonly string[])[];
  /** Distinct rules: the values the event adds. */
  readonly values?: readonly string[];
  /** Rules with `suppress`: the suppression key's values. */
  readonly suppressKey?: readonly string[];
  /** The event's cluster (`ka.cluster.name`), so that two clusters never share a group. */
  readonly cluster?: string;
  readonly auditId?: string;
  readonly alert: PendingAlert;
}
