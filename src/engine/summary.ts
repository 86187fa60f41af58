import { PRIORITIES, type Priority, prioritySummaryLabel } from '../rules/index.ts';

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

/**
 * Falco's end-of-run summary: `Events detected`, counts by severity (most severe first,
 * Informational as INFO) and by rule name in definition order, indented by three spaces.
 */
export function formatSummary(stats: MatchStats): string {
  const lines = [`Events detected: ${stats.total}`, 'Rule counts by severity:'];
  for (const p of PRIORITIES) {
    const n = stats.byPriority.get(p) ?? 0;
    if (n > 0) lines.push(`   ${prioritySummaryLabel(p)}: ${n}`);
  }
  lines.push('Triggered rules by rule name:');
  for (const [rule, n] of stats.byRule) {
    if (n > 0) lines.push(`   ${rule}: ${n}`);
  }
  return `${lines.join('\n')}\n`;
}
