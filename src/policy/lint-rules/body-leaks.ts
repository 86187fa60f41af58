import { matchResourcePattern } from '../checker.ts';
import { findCoveringRule, ruleBranch } from '../cover.ts';
import type { PolicyRule } from '../types.ts';
import { createFinding, type LintContext, type LintFinding, type LintRule } from './finding.ts';

interface Sensitive {
  readonly group: string;
  readonly resource: string;
  /** Verbs whose request body carries the secret (Request level leaks these). */
  readonly requestVerbs: readonly string[];
  readonly why: string;
}

export const SECRETS: readonly Sensitive[] = [
  {
    group: '',
    resource: 'secrets',
    requestVerbs: ['create', 'update', 'patch'],
    why: 'Secret data',
  },
  {
    group: '',
    resource: 'serviceaccounts/token',
    requestVerbs: [],
    why: 'bearer tokens (TokenRequest responses)',
  },
  {
    group: 'authentication.k8s.io',
    resource: 'tokenreviews',
    requestVerbs: ['create'],
    why: 'the reviewed bearer tokens',
  },
];
export const CONFIGMAPS: readonly Sensitive[] = [
  {
    group: '',
    resource: 'configmaps',
    requestVerbs: ['create', 'update', 'patch'],
    why: 'configuration that often holds credentials',
  },
];

/** Where the rule names the resource explicitly, or undefined when it matches it implicitly. */
function matchTarget(
  rule: PolicyRule,
  i: number,
  t: Sensitive,
): { path: string; explicit: boolean } | undefined {
  const branch = ruleBranch(rule);
  if (branch === 'any') return { path: `rules[${i}]`, explicit: false };
  if (branch !== 'resource') return undefined;
  if ((rule.resources ?? []).length === 0) return { path: `rules[${i}]`, explicit: false };
  const [base = '', sub = ''] = t.resource.split('/');
  for (const [ei, e] of (rule.resources ?? []).entries()) {
    const g = e.group ?? '';
    if (g !== t.group && g !== '*') continue;
    const rs = e.resources ?? [];
    if (rs.length === 0) return { path: `rules[${i}].resources[${ei}]`, explicit: false };
    const ri = rs.findIndex((p) => matchResourcePattern(p, base, sub));
    if (ri >= 0) return { path: `rules[${i}].resources[${ei}].resources[${ri}]`, explicit: true };
  }
  return undefined;
}

function leakingVerbs(rule: PolicyRule, t: Sensitive): readonly string[] | undefined {
  const verbs = rule.verbs ?? [];
  if (rule.level === 'RequestResponse') return verbs;
  if (rule.level !== 'Request') return undefined;
  const leaking =
    verbs.length === 0 ? t.requestVerbs : verbs.filter((v) => t.requestVerbs.includes(v));
  return leaking.length === 0 ? undefined : leaking;
}

/** Findings for rules that write the bodies of `targets` and no earlier rule catches first. */
export function findLeaks(
  ctx: LintContext,
  lint: LintRule,
  targets: readonly Sensitive[],
): LintFinding[] {
  const out: LintFinding[] = [];
  const rules = ctx.policy.rules;
  rules.forEach((rule, i) => {
    for (const t of targets) {
      const verbs = leakingVerbs(rule, t);
      const hit = verbs === undefined ? undefined : matchTarget(rule, i, t);
      if (verbs === undefined || hit === undefined) continue;
      // The part of this rule that logs the resource's bodies; an earlier rule may catch it all.
      const probe: PolicyRule = {
        ...rule,
        verbs,
        resources: [{ group: t.group, resources: [t.resource] }],
      };
      if (findCoveringRule(rules.slice(0, i), probe) >= 0) continue;
      const name = t.group === '' ? t.resource : `${t.group}/${t.resource}`;
      const how = hit.explicit ? 'lists' : 'implicitly matches';
      const message = `rules[${i}] ${how} ${name} at level ${rule.level}, so ${t.why} are written to the audit log; log ${name} at Metadata in an earlier rule`;
      out.push(createFinding(ctx, lint, hit.path, message, { ruleIndex: i }));
    }
  });
  return out;
}
