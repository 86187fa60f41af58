import { createHash } from 'node:crypto';
import type { StepMatch } from '../../engine/index.ts';

/**
 * The partition of a step match: a hash of its rule, its cluster and its group key, so
 * that every match of one group, whichever worker found it, reaches the one partition
 * that holds the group's state. A match under several keys (a list-valued `by` term)
 * is split into one match per key: each key is its own group, as in the embedded
 * correlator. A rule with only `suppress:` is routed by its suppression key.
 */
export function routeMatch(
  m: StepMatch,
  ruleName: string,
  partitions: number,
  out: (partition: number, match: StepMatch) => void,
): void {
  if (m.keys.length <= 1) {
    out(partitionOf(ruleName, m.cluster, m.keys[0] ?? m.suppressKey ?? [], partitions), m);
    return;
  }
  for (const key of m.keys) {
    out(partitionOf(ruleName, m.cluster, key, partitions), { ...m, keys: [key] });
  }
}

/** The partition of one (rule, cluster, key): stable across processes and restarts. */
export function partitionOf(
  ruleName: string,
  cluster: string | undefined,
  key: readonly string[],
  partitions: number,
): number {
  const h = createHash('sha1')
    .update(JSON.stringify([ruleName, cluster ?? null, key]))
    .digest();
  return h.readUInt32BE(0) % partitions;
}
