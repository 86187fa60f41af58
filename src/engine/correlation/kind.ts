import type { CorrelationSpec } from '../../rules/index.ts';
import type { GroupTable, StateCodec, TableLimits } from './group-table.ts';

/** auditIDs an alert carries at most (the newest). */
export const MAX_ALERT_AUDIT_IDS = 64;

/** One group key of one match, handed to the rule's state in event-time order. */
export interface Released {
  readonly key: string;
  readonly step: number;
  /** Event time in µs since the epoch (after the reorder buffer: never decreasing). */
  readonly tUs: number;
  readonly auditId: string | undefined;
  /** Distinct rules: the value this match adds. */
  readonly value?: string;
}

/** What a group that fired reports. */
export interface Fired {
  readonly count: number;
  readonly auditIds: readonly string[];
  readonly values?: readonly string[];
}

/**
 * The state machine of one correlated rule, per group key. One file per kind
 * (threshold, distinct, sequence, unordered), each with a codec for the spool.
 */
export interface CorrelationKindState {
  /** Takes one released match; returns what fired (the group then starts over). */
  offer(r: Released): Fired | undefined;
  /** Drops the groups that nothing at `nowUs` or later can complete. */
  expire(nowUs: number): void;
  readonly table: GroupTable<unknown>;
  readonly codec: StateCodec<unknown>;
  /** The remembered events of a state, which the table's limits count. */
  weightOf(state: unknown): number;
}

/** Builds the state of one correlated rule. */
export type KindFactory = (
  spec: CorrelationSpec,
  limits: TableLimits,
  durable: boolean,
) => CorrelationKindState;

/** The newest `MAX_ALERT_AUDIT_IDS` of `ids`, without the events that had none. */
export function newestIds(ids: readonly (string | null | undefined)[]): string[] {
  const out: string[] = [];
  for (const id of ids) if (typeof id === 'string') out.push(id);
  return out.length > MAX_ALERT_AUDIT_IDS ? out.slice(out.length - MAX_ALERT_AUDIT_IDS) : out;
}
