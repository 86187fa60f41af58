import type { MatchStats } from '../engine/index.ts';
import { PRIORITIES, prioritySummaryLabel } from '../rules/priority.ts';

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
