import { escapeCell } from '../outputs/index.ts';
import { createRulesLoader, type RulesLoader } from './prepare.ts';
import type { FileResult } from './run-tests.ts';

/** Which passing tests fire a rule, and which prove it silent on a near miss. */
export interface RuleCoverage {
  readonly rule: string;
  readonly enabled: boolean;
  /** Passing tests that expect the rule to fire (count at least 1). */
  readonly firedBy: readonly string[];
  /** Passing tests of the rule (it is under test) that expect it not to fire. */
  readonly silentIn: readonly string[];
}

/** Coverage of one set of rules files by the tests that test them. */
export interface CoverageReport {
  readonly rulesFiles: readonly string[];
  readonly rules: readonly RuleCoverage[];
  /** The rules failed to load, so nothing could be counted. */
  readonly loadFailed?: true;
}

/**
 * Coverage per set of rules files under test (a tests file's `rules_files`): for every
 * rule, the passing tests that fire it and those that prove it silent. A test proves a
 * rule silent when the rule is one of the rules it tests (`rule:`) and it expects no
 * alert of it: the event is the near miss its author chose.
 */
export async function computeCoverage(
  results: readonly FileResult[],
  loader: RulesLoader = createRulesLoader(),
): Promise<CoverageReport[]> {
  const groups = new Map<string, FileResult[]>();
  for (const f of results) {
    // A tests file that did not read names no rules to cover.
    if (f.file.rulesFiles.length === 0) continue;
    const key = JSON.stringify(f.file.rulesFiles);
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const reports: CoverageReport[] = [];
  for (const files of groups.values()) {
    const rulesFiles = files[0]?.file.rulesFiles ?? [];
    const loaded = await loader.load({ files: rulesFiles });
    if (!loaded.ok) {
      reports.push({ rulesFiles, rules: [], loadFailed: true });
      continue;
    }
    const passed = files.flatMap((f) => f.cases).filter((c) => c.status === 'pass');
    const rules = loaded.rules.map((r): RuleCoverage => {
      const firedBy: string[] = [];
      const silentIn: string[] = [];
      for (const c of passed) {
        for (const e of c.test.expect.filter((x) => x.rule === r.name)) {
          if (e.count > 0) firedBy.push(c.test.name);
          else if (c.test.rules.some((u) => u.name === r.name)) silentIn.push(c.test.name);
        }
      }
      return { rule: r.name, enabled: r.enabled, firedBy, silentIn };
    });
    reports.push({ rulesFiles, rules });
  }
  return reports;
}

/** The coverage as text: totals, then the rules no test fires or proves silent. */
export function formatCoverage(
  reports: readonly CoverageReport[],
  show: (path: string) => string = (p) => p,
): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push(`coverage of ${r.rulesFiles.map(show).join(', ')}:`);
    if (r.loadFailed) {
      out.push('  the rules did not load');
      continue;
    }
    const unfired = r.rules.filter((x) => x.firedBy.length === 0);
    const unsilenced = r.rules.filter((x) => x.silentIn.length === 0);
    const n = r.rules.length;
    out.push(`  rules fired by a test: ${n - unfired.length} of ${n}`);
    out.push(`  rules proved silent on a near miss: ${n - unsilenced.length} of ${n}`);
    const list = (title: string, rules: readonly RuleCoverage[]): void => {
      if (rules.length === 0) return;
      out.push(`  ${title}:`);
      for (const x of rules) out.push(`    ${escapeCell(x.rule)}${x.enabled ? '' : ' (disabled)'}`);
    };
    list('no test fires', unfired);
    list('no test proves silent on a near miss', unsilenced);
  }
  return `${out.join('\n')}\n`;
}
