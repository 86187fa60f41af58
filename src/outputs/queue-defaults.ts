/**
 * Defaults shared by the queued outputs (file, http, program); docs/outputs.md lists them.
 */

/** Alerts waiting per output before the oldest are dropped. */
export const DEFAULT_QUEUE_ALERTS = 10_000;
/** Longest a flush waits for an output before it counts as stalled. */
export const DEFAULT_FLUSH_TIMEOUT_MS = 10_000;

/**
 * How long close waits for pending alerts: the flush timeout, or the default when flushes
 * are unbounded (a dead destination must not hold the end of a run forever).
 */
export function closeTimeoutMs(flushTimeoutMs: number): number {
  return Number.isFinite(flushTimeoutMs) ? flushTimeoutMs : DEFAULT_FLUSH_TIMEOUT_MS;
}
