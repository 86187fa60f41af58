import { findCoveringRule, sameSelectors } from '../cover.ts';
import type { PolicyRule } from '../types.ts';
import { createFinding, type LintFinding, type LintRule } from './finding.ts';

interface Slice {
  /** Path of the entry that never takes effect. */
  readonly path: string;
  readonly value: string;
  /** The rule restricted to that one entry. */
  readonly rule: PolicyRule;
}

type ListKey = 'users' | 'userGroups' | 'verbs' | 'namespaces' | 'nonResourceURLs';
const LIST_KEYS: readonly ListKey[] = [
  'users',
  'userGroups',
  'verbs',
  'namespaces',
  'nonResourceURLs',
];

function slicesOf(rule: PolicyRule, i: number): Slice[] {
  const out: Slice[] = [];
  for (const key of LIST_KEYS) {
    const list = rule[key] ?? [];
    if (list.length < 2) continue;
    list.forEach((value, k) => {
      out.push({ path: `rules[${i}].${key}[${k}]`, value, rule: { ...rule, [key]: [value] } });
    });
  }
  const entries = rule.resources ?? [];
  const split = entries.flatMap((e, ei) => {
    const rs = e.resources ?? [];
    if (rs.length === 0)
      return [
        { path: `rules[${i}].resources[${ei}]`, value: `group "${e.group ?? ''}"`, entry: e },
      ];
    return rs.map((r, ri) => ({
      path: `rules[${i}].resources[${ei}].resources[${ri}]`,
      value: `${e.group ?? ''}/${r}`.replace(/^\//, ''),
      entry: { ...e, resources: [r] },
    }));
  });
  if (split.length > 1) {
    for (const s of split)
      out.push({ path: s.path, value: s.value, rule: { ...rule, resources: [s.entry] } });
  }
  return out;
}

/**
 * `partly-shadowed-rule`: one entry of a rule's selector list (a verb, a user, a resource…)
 * is entirely caught by an earlier rule, so that entry never takes effect. Reported only
 * when provable: the earlier rule covers the rule restricted to that entry.
 */
export const PARTLY_SHADOWED_RULE: LintRule = {
  code: 'partly-shadowed-rule',
  severity: 'warning',
  summary: 'one entry of a rule (a verb, user, resource…) is always caught by an earlier rule',
  check(ctx) {
    const out: LintFinding[] = [];
    const rules = ctx.policy.rules;
    rules.forEach((rule, i) => {
      const earlier = rules.slice(0, i);
      // Whole-rule problems are the other codes' business.
      if (earlier.some((e) => sameSelectors(e, rule)) || findCoveringRule(earlier, rule) >= 0)
        return;
      for (const s of slicesOf(rule, i)) {
        const j = findCoveringRule(earlier, s.rule);
        if (j < 0) continue;
        const message = `${s.value} in rules[${i}] never applies: rules[${j}] (level ${rules[j]?.level}) catches those requests first`;
        out.push(createFinding(ctx, this, s.path, message, { ruleIndex: i, relatedRule: j }));
      }
    });
    return out;
  },
};
