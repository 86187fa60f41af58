import type { Priority } from '../rules/index.ts';

/** Counts of rule matches, as Falco's stats_manager keeps them. */
export interface MatchStats {
  total: number;
  readonly byPriority: Map<Priority, number>;
  /** Insertion order = rule definition order (filled by the engine at creation). */
  readonly byRule: Map<string, number>;
}

export function createMatchStats(ruleNames: readonly string[] = []): MatchStats {
  return { total: 0, byPriority: new Map(), byRule: new Map(ruleNames.map((n) => [n, 0])) };
}

export function countMatch(stats: MatchStats, rule: string, priority: Priority): void {
  stats.total++;
  stats.byPriority.set(priority, (stats.byPriority.get(priority) ?? 0) + 1);
  stats.byRule.set(rule, (stats.byRule.get(rule) ?? 0) + 1);
}

/** Adds `from`'s counts into `into` (per-thread or per-chunk counts of one run). */
export function mergeMatchStats(
  into: MatchStats,
  from: {
    readonly byRule: Iterable<readonly [string, number]>;
    readonly byPriority: Iterable<readonly [Priority, number]>;
  },
): void {
  for (const [rule, n] of from.byRule) {
    into.byRule.set(rule, (into.byRule.get(rule) ?? 0) + n);
    into.total += n;
  }
  for (const [p, n] of from.byPriority) into.byPriority.set(p, (into.byPriority.get(p) ?? 0) + n);
}

/** Sets every count back to zero, keeping the rules (and their order). */
export function resetMatchStats(stats: MatchStats): void {
  stats.total = 0;
  stats.byPriority.clear();
  for (const k of stats.byRule.keys()) stats.byRule.set(k, 0);
}
