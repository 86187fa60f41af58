import { AUDIT_VERBS } from '../known-resources.ts';
import { createFinding, type LintFinding, type LintRule } from './finding.ts';

/** `unknown-verb`: a verb that never appears in audit events (e.g. RBAC's `use`, or `Get`). */
export const UNKNOWN_VERB: LintRule = {
  code: 'unknown-verb',
  severity: 'warning',
  summary: 'a verb that audit events never carry, so it never matches',
  check(ctx) {
    const out: LintFinding[] = [];
    ctx.policy.rules.forEach((rule, i) => {
      (rule.verbs ?? []).forEach((v, k) => {
        if (AUDIT_VERBS.has(v)) return;
        const message = `verb "${v}" never appears in audit events; use one of ${[...AUDIT_VERBS].join(', ')}`;
        out.push(createFinding(ctx, this, `rules[${i}].verbs[${k}]`, message, { ruleIndex: i }));
      });
    });
    return out;
  },
};
