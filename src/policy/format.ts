import { escapeCell, formatTable } from '../outputs/index.ts';
import type { PolicyDecision, PolicyRequest } from './checker.ts';
import type { RuleCoverage } from './coverage.ts';
import { countFindings } from './lint.ts';
import type { LintFinding } from './lint-rules/finding.ts';
import type { PolicyMessage, ReadPolicyResult } from './read.ts';
import type { SimulationReport, Tally } from './simulate.ts';
import { formatPosition, LEVELS, type Policy } from './types.ts';

/** `file:line:col: error: message [code]` lines for read errors and warnings. */
export function formatReadMessages(r: ReadPolicyResult): string {
  const line = (kind: string, m: PolicyMessage): string =>
    `${formatPosition(m.position)}: ${kind}: ${escapeCell(m.message)} [${m.code}]`;
  return [...r.errors.map((m) => line('error', m)), ...r.warnings.map((m) => line('warning', m))]
    .map((s) => `${s}\n`)
    .join('');
}

/** The JSON form of a read result (no policy body). */
export function readResultToJSON(r: ReadPolicyResult): object {
  return {
    file: r.file,
    ok: r.ok,
    rules: r.policy?.rules.length ?? 0,
    errors: r.errors,
    warnings: r.warnings,
  };
}

const MISS_TEXT: Readonly<Record<string, string>> = {
  no_user: 'the request has no user, and the rule selects users or groups',
  users: 'user not in users',
  userGroups: 'no group in userGroups',
  verbs: 'verb not in verbs',
  rule_for_resources: 'rule is for resource requests; this is a non-resource request',
  rule_for_urls: 'rule is for non-resource URLs; this is a resource request',
  namespaces: 'namespace not in namespaces',
  resources: 'no resources entry matches group/resource/name',
  nonResourceURLs: 'path matches no nonResourceURLs pattern',
};

/** The check result: the decision, then why each earlier rule did not match. */
export function formatDecision(policy: Policy, req: PolicyRequest, d: PolicyDecision): string {
  const rule = d.ruleIndex < 0 ? 'none (no rule matched)' : `rules[${d.ruleIndex}]`;
  const lines = [
    `request: ${escapeCell(JSON.stringify(req))}`,
    `matched: ${rule}`,
    `level: ${d.level}`,
    `omitStages: ${d.omitStages.length === 0 ? '(none)' : d.omitStages.join(', ')}`,
    `omitManagedFields: ${d.omitManagedFields}`,
  ];
  if (d.misses.length > 0) {
    lines.push('earlier rules:');
    for (const m of d.misses) {
      lines.push(
        `  rules[${m.ruleIndex}] (${policy.rules[m.ruleIndex]?.level}): ${MISS_TEXT[m.reason]}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Lint findings, one per line, plus a count line. */
export function formatFindings(findings: readonly LintFinding[]): string {
  const lines = findings.map(
    (f) =>
      `${formatPosition(f.position)}: ${f.severity}: ${escapeCell(f.message)} [${f.code}] (${f.path || 'policy'})`,
  );
  const c = countFindings(findings);
  lines.push(`${c.error} error(s), ${c.warning} warning(s), ${c.info} info`);
  return `${lines.join('\n')}\n`;
}

function fmtBytes(n: number): string {
  if (n < 1024) return `${Math.round(n)} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

function perDay(r: SimulationReport, t: Tally): string {
  return r.perDayFactor === undefined
    ? '-'
    : `${Math.round(t.events * r.perDayFactor)} ev, ${fmtBytes(t.bytes * r.perDayFactor)}`;
}

/** The simulation report as text tables. */
export function formatSimulation(r: SimulationReport): string {
  const out: string[] = [];
  out.push(
    `time span: ${r.firstTime ?? '-'} .. ${r.lastTime ?? '-'} (${r.spanSeconds.toFixed(0)} s)`,
  );
  const levelRows = LEVELS.map((l) => {
    const b = r.before.byLevel[l];
    const a = r.after.byLevel[l];
    return [
      l,
      String(b.events),
      fmtBytes(b.bytes),
      String(a.events),
      fmtBytes(a.bytes),
      perDay(r, a),
    ];
  });
  levelRows.push([
    'total written',
    String(r.before.total.events),
    fmtBytes(r.before.total.bytes),
    String(r.after.total.events),
    fmtBytes(r.after.total.bytes),
    perDay(r, r.after.total),
  ]);
  levelRows.push(['omitted stage', '', '', String(r.omittedStage.events), '0 B', '']);
  levelRows.push([
    'not judgeable',
    String(r.notJudgeable.events),
    fmtBytes(r.notJudgeable.bytes),
    '?',
    '?',
    '',
  ]);
  out.push(
    '',
    formatTable(
      ['level', 'events before', 'bytes before', 'events after', 'bytes after', 'per day after'],
      levelRows,
    ),
  );
  const ruleRows = r.byRule.map((v) => [
    v.ruleIndex < 0 ? '(no rule)' : `rules[${v.ruleIndex}]`,
    v.level,
    String(v.before.events),
    fmtBytes(v.before.bytes),
    String(v.after.events),
    fmtBytes(v.after.bytes),
    String(v.notJudgeable.events),
  ]);
  out.push(
    '',
    formatTable(
      [
        'policy rule',
        'level',
        'events before',
        'bytes before',
        'events after',
        'bytes after',
        'not judgeable',
      ],
      ruleRows,
    ),
  );
  for (const [title, list] of [
    ['user', r.topUsers],
    ['resource', r.topResources],
  ] as const) {
    const rows = list.map((c) => [
      c.key,
      String(c.before.events),
      fmtBytes(c.before.bytes),
      fmtBytes(c.after.bytes),
    ]);
    out.push('', formatTable([`top ${title}`, 'events', 'bytes before', 'bytes after'], rows));
  }
  return `${out.join('\n')}\n`;
}

/** Coverage as text: a line per starved rule and its gaps, then a summary. */
export function formatCoverage(list: readonly RuleCoverage[], policy: Policy): string {
  const out: string[] = [];
  for (const c of list) {
    if (c.covered) continue;
    out.push(`STARVED ${escapeCell(c.rule)} (needs ${c.needs})`);
    for (const g of c.gaps) {
      const res = `${g.apiGroup ? `${g.apiGroup}/` : ''}${g.resource}${g.subresource ? `/${g.subresource}` : ''}`;
      const by =
        g.ruleIndex < 0
          ? 'no policy rule matches (None)'
          : `rules[${g.ruleIndex}] logs it at ${policy.rules[g.ruleIndex]?.level}`;
      const why = g.stageOmitted ? ', but the stage it reads is omitted' : '';
      out.push(`  ${g.verb} ${res}: ${by}${why}`);
    }
  }
  const starved = list.filter((c) => !c.covered).length;
  out.push(`${list.length - starved} of ${list.length} rules covered, ${starved} starved`);
  return `${out.join('\n')}\n`;
}
