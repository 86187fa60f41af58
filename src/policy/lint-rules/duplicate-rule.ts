import { sameSelectors } from '../cover.ts';
import { createFinding, type LintFinding, type LintRule } from './finding.ts';

/** `duplicate-rule`: a rule with the very same selectors as an earlier one. */
export const DUPLICATE_RULE: LintRule = {
  code: 'duplicate-rule',
  severity: 'error',
  summary: 'a rule repeats the selectors of an earlier rule; the later copy never applies',
  check(ctx) {
    const out: LintFinding[] = [];
    const rules = ctx.policy.rules;
    rules.forEach((rule, i) => {
      const j = rules.slice(0, i).findIndex((e) => sameSelectors(e, rule));
      if (j < 0) return;
      const message = `rules[${i}] has the same selectors as rules[${j}] and never applies; remove one (rules[${j}] decides: level ${rules[j]?.level})`;
      out.push(createFinding(ctx, this, `rules[${i}]`, message, { ruleIndex: i, relatedRule: j }));
    });
    return out;
  },
};
