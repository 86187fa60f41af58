import { createHash } from 'node:crypto';
import type { StepMatch } from '../../engine/index.ts';
import type { LoadedRule } from '../../rules/index.ts';

/** How one stateful rule's matches are routed. */
export interface RoutePlan {
  readonly name: string;
  /**
   * Route by the suppression key: the rule's state is its suppression windows (a plain
   * rule with `suppress:`), or its suppression terms are among its group terms, so that a
   * group's events share one suppression key and both meet in one partition.
   */
  readonly bySuppression: boolean;
}

/** The routing of each stateful rule, in the engine's order (StepMatch.rule indexes it). */
export function planRoutes(rules: readonly LoadedRule[]): RoutePlan[] {
  return rules.map((r) => {
    const group = r.correlation?.by.map((t) => t.template);
    const bySuppression =
      r.suppress !== undefined &&
      (group === undefined || r.suppress.by.every((t) => group.includes(t.template)));
    return { name: r.name, bySuppression };
  });
}

/**
 * The partition of a step match: a hash of its rule, its cluster and its group key, so
 * that every match of one group, whichever worker found it, reaches the one partition
 * that holds the group's state. A match under several keys (a list-valued `by` term)
 * is split into one match per key: each key is its own group, as in the embedded
 * correlator. A rule routed by suppression (RoutePlan) goes by its suppression key whole.
 */
export function routeMatch(
  m: StepMatch,
  plan: RoutePlan,
  partitions: number,
  out: (partition: number, match: StepMatch) => void,
): void {
  const ruleName = plan.name;
  if (plan.bySuppression && m.suppressKey !== undefined) {
    out(partitionOf(ruleName, m.cluster, m.suppressKey, partitions), m);
    return;
  }
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
