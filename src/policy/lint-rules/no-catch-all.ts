import { ruleBranch } from '../cover.ts';
import type { PolicyRule } from '../types.ts';
import { createFinding, type LintRule } from './finding.ts';

/** A rule without any selector: it matches every request. */
export function isCatchAll(rule: PolicyRule): boolean {
  return (
    ruleBranch(rule) === 'any' &&
    (rule.users ?? []).length === 0 &&
    (rule.userGroups ?? []).length === 0 &&
    (rule.verbs ?? []).length === 0
  );
}

/** `no-catch-all`: the last rule has selectors, so unmatched requests are silently not logged. */
export const NO_CATCH_ALL: LintRule = {
  code: 'no-catch-all',
  severity: 'warning',
  summary:
    'the policy does not end with a rule without selectors; unmatched requests are not logged',
  check(ctx) {
    const rules = ctx.policy.rules;
    if (rules.some(isCatchAll)) return [];
    const last = rules.length - 1;
    const message = `no rule without selectors ends the policy, so requests no rule matches are not logged at all; add "- level: Metadata" as the last rule`;
    return [
      createFinding(ctx, this, last < 0 ? '' : `rules[${last}]`, message, { ruleIndex: last }),
    ];
  },
};
