import { escapeCell } from '../outputs/index.ts';
import type { MutationReport } from './mutation.ts';

/** Killed mutants over all mutants, in percent (100 when there are none). */
export function mutationScore(r: MutationReport): number {
  return r.mutants.length === 0 ? 100 : (100 * r.killed) / r.mutants.length;
}

/**
 * The mutation check as text: per set of rules files, the score and then every mutant
 * no test killed (rule, what changed, the part, the macros it sits in), for a rule
 * author to add the test that would notice.
 */
export function formatMutation(
  reports: readonly MutationReport[],
  show: (path: string) => string = (p) => p,
): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push(`mutation check of ${r.rulesFiles.map(show).join(', ')}:`);
    const score = mutationScore(r).toFixed(1);
    out.push(`  ${r.killed} of ${r.mutants.length} mutants killed (${score}%)`);
    if (r.skippedTests.length > 0) {
      out.push(`  ${r.skippedTests.length} tests left out (they do not pass unmutated)`);
    }
    const survivors = r.mutants.filter((m) => m.killedBy === undefined);
    if (survivors.length > 0) out.push('  survivors (no test fails with this change):');
    for (const m of survivors) {
      const where = `${show(m.rulePosition.name)}:${m.rulePosition.line}`;
      const inside = m.macros.length === 0 ? '' : ` [macro ${m.macros.join(' > ')}]`;
      out.push(
        `    ${where}: ${escapeCell(m.rule)}: ${escapeCell(m.change)} in ${escapeCell(m.part)}${inside}`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}
