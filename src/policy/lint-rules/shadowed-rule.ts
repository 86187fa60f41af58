import { findCoveringRule, ruleBranch, sameSelectors } from '../cover.ts';
import type { PolicyRule } from '../types.ts';
import { createFinding, type LintFinding, type LintRule } from './finding.ts';

function describeShadow(earlier: PolicyRule, j: number): string {
  const catchAll =
    ruleBranch(earlier) === 'any' &&
    (earlier.users ?? []).length === 0 &&
    (earlier.userGroups ?? []).length === 0 &&
    (earlier.verbs ?? []).length === 0;
  return catchAll
    ? `rules[${j}] is a catch-all (no selectors), so no later rule can match; keep the catch-all last`
    : `rules[${j}] matches every request this rule could match; move this rule above rules[${j}] or narrow rules[${j}]`;
}

/** `shadowed-rule`: a rule no request can reach, because an earlier rule catches all of it. */
export const SHADOWED_RULE: LintRule = {
  code: 'shadowed-rule',
  severity: 'error',
  summary: 'an earlier rule catches every request this rule could match; it never applies',
  check(ctx) {
    const out: LintFinding[] = [];
    const rules = ctx.policy.rules;
    rules.forEach((rule, i) => {
      const earlier = rules.slice(0, i);
      // Exact duplicates get their own code.
      if (earlier.some((e) => sameSelectors(e, rule))) return;
      const j = findCoveringRule(earlier, rule);
      if (j < 0) return;
      const message = `rules[${i}] (level ${rule.level}) is unreachable: ${describeShadow(rules[j] as PolicyRule, j)}`;
      out.push(createFinding(ctx, this, `rules[${i}]`, message, { ruleIndex: i, relatedRule: j }));
    });
    return out;
  },
};
