/** Exponential backoff bounds: the first delay and the longest one. */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
}

/**
 * The delay before retry number `attempt` (0 for the first retry): doubling from
 * `initialMs` up to `maxMs`, with "equal jitter" (half fixed, half random) so that
 * many senders hit by one outage do not come back in step, and none retries at once.
 */
export function backoffDelay(
  attempt: number,
  opts: BackoffOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(opts.maxMs, opts.initialMs * 2 ** Math.min(attempt, 30));
  return ceiling / 2 + random() * (ceiling / 2);
}
