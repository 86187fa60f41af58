import { findCoveringRule, ruleBranch } from '../cover.ts';
import { createFinding, type LintFinding, type LintRule } from './finding.ts';

const BULK_READS = ['list', 'watch'];

/** `high-volume-body`: list/watch responses logged at RequestResponse. */
export const HIGH_VOLUME_BODY: LintRule = {
  code: 'high-volume-body',
  severity: 'warning',
  summary: 'list or watch responses are logged at RequestResponse (whole collections per request)',
  check(ctx) {
    const out: LintFinding[] = [];
    const rules = ctx.policy.rules;
    rules.forEach((rule, i) => {
      if (rule.level !== 'RequestResponse' || ruleBranch(rule) === 'nonResource') return;
      const verbs = rule.verbs ?? [];
      const bulk = verbs.length === 0 ? BULK_READS : verbs.filter((v) => BULK_READS.includes(v));
      if (bulk.length === 0) return;
      if (findCoveringRule(rules.slice(0, i), { ...rule, verbs: bulk }) >= 0) return;
      const message = `rules[${i}] logs ${bulk.join('/')} responses at RequestResponse: every list or watch writes whole collections; catch ${bulk.join('/')} earlier at Metadata or Request, or list the verbs this rule needs`;
      out.push(createFinding(ctx, this, `rules[${i}]`, message, { ruleIndex: i }));
    });
    return out;
  },
};
