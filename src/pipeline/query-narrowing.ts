import { type Expr, parseCondition } from '../lang/index.ts';

/** What `--since`, `--until` and `--final` add to a query's condition. */
export interface QueryNarrowing {
  /** Keep events at or after this instant (nanoseconds since the epoch). */
  readonly sinceNs?: bigint;
  /** Keep events before this instant. */
  readonly untilNs?: bigint;
  /** Keep only the last stage of each request (FINAL_STAGE_CONDITION). */
  readonly final?: boolean;
}

/**
 * The last stage the apiserver writes for a request: ResponseComplete, or ResponseStarted
 * for the long-running connections (exec, attach, port-forward), whose ResponseComplete
 * only comes when the session ends; Panic ends a request too. It is a condition on
 * header fields, so the fast path applies it before any full parse.
 */
export const FINAL_STAGE_CONDITION =
  '(ka.stage = ResponseComplete and not ka.target.subresource in (exec, attach, portforward))' +
  ' or (ka.stage = ResponseStarted and ka.target.subresource in (exec, attach, portforward))' +
  ' or ka.stage = Panic';

/**
 * The condition joined with the narrowing's own checks. The time window compares
 * evt.rawtime (the event's stageTimestamp), which the header scan reads, so lines out of
 * the window are skipped before they are parsed.
 */
export function narrowCondition(expr: Expr, n: QueryNarrowing): Expr {
  const extra: string[] = [];
  if (n.sinceNs !== undefined) extra.push(`evt.rawtime >= ${n.sinceNs}`);
  if (n.untilNs !== undefined) extra.push(`evt.rawtime < ${n.untilNs}`);
  if (n.final === true) extra.push(`(${FINAL_STAGE_CONDITION})`);
  if (extra.length === 0) return expr;
  const added = parseCondition(extra.join(' and '));
  // Spans of the added checks point into their own text, never into the user's.
  return { kind: 'and', children: [expr, added], start: expr.start, end: expr.end };
}
