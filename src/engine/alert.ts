import type { JsonFieldKind } from '../lang/index.ts';
import type { Priority } from '../rules/index.ts';
import type { RuleExplanation } from './explain-rule.ts';

/** An output field's value in an alert: absent fields are `null` (Falco's JSON). */
export type AlertFieldValue = string | readonly string[] | null;

/**
 * A piece of a rule's output template: its own text, or where an output field's value
 * goes (`key` into `outputFields`, `width` from `%20field`).
 */
export type MessagePart = string | { readonly key: string; readonly width?: number };

/** One rule match, with everything Falco's text and JSON outputs need. */
export interface Alert {
  readonly rule: string;
  readonly priority: Priority;
  readonly source: string;
  /** Sorted, as Falco prints them. */
  readonly tags: readonly string[];
  /** Event time (stageTimestamp) in ns since the epoch, decimal text. */
  readonly timeNs: string;
  /** The rule's rendered output (Falco's `message`). */
  readonly message: string;
  /**
   * The rule's output template, shared by its alerts: an output renders `message` again
   * from it with each field value escaped (its own text stays as the rule wrote it).
   */
  readonly template?: readonly MessagePart[];
  /** Every `%field` of the output, in template order. */
  readonly outputFields: Readonly<Record<string, AlertFieldValue>>;
  /**
   * The output fields Falco's JSON writes as numbers or booleans, or leaves out (shared by
   * a rule's alerts; absent when all are strings): see JsonFieldKind.
   */
  readonly fieldKinds?: Readonly<Record<string, JsonFieldKind>>;
  readonly hostname: string;
  /** The event's identity (auditID and stage, or an admission uid), when it has one. */
  readonly eventId?: string;
  /** The event the alert is about, for stores and the `--with-event` JSON. */
  readonly event?: Readonly<Record<string, unknown>>;
  /** `event`'s JSON text as it was read, when known (saves serialising it again). */
  readonly eventText?: string;
  /** Where the event was read (file:line), when known. */
  readonly origin?: string;
  readonly line?: number;
  /**
   * Why the rule matched this event (`scan --explain`, an engine built with `explain`):
   * absent otherwise, so default alerts stay exactly Falco's.
   */
  readonly explanation?: RuleExplanation;
  /** A correlated rule's alert, or the one closing a suppression window: what made it. */
  readonly correlation?: AlertCorrelation;
  /** On the alert that closes a suppression window: how many alerts it held back. */
  readonly suppressed?: number;
}

/**
 * What a correlated alert stands for (the shape the alert store and UI show): how many
 * events (or distinct values, or steps, or suppressed alerts), over which window, for
 * which group key, and the auditIDs of the events (the newest 64).
 */
export interface AlertCorrelation {
  readonly count: number;
  readonly windowMs: number;
  readonly group: Readonly<Record<string, string>>;
  readonly auditIds: readonly string[];
}
