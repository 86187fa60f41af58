import { CONFIGMAP_BODY_LOGGED } from './lint-rules/configmap-body-logged.ts';
import { DUPLICATE_RULE } from './lint-rules/duplicate-rule.ts';
import type { LintContext, LintFinding, LintRule, Severity } from './lint-rules/finding.ts';
import { HIGH_VOLUME_BODY } from './lint-rules/high-volume-body.ts';
import { NO_CATCH_ALL } from './lint-rules/no-catch-all.ts';
import { PARTLY_SHADOWED_RULE } from './lint-rules/partly-shadowed-rule.ts';
import { REQUEST_RECEIVED_NOT_OMITTED } from './lint-rules/request-received-not-omitted.ts';
import { RESOURCE_NOT_IN_GROUP } from './lint-rules/resource-not-in-group.ts';
import { SENSITIVE_BODY_LOGGED } from './lint-rules/sensitive-body-logged.ts';
import { SHADOWED_RULE } from './lint-rules/shadowed-rule.ts';
import { UNKNOWN_RESOURCE } from './lint-rules/unknown-resource.ts';
import { UNKNOWN_VERB } from './lint-rules/unknown-verb.ts';

/** Every lint check, in report order. */
export const LINT_RULES: readonly LintRule[] = [
  SHADOWED_RULE,
  DUPLICATE_RULE,
  PARTLY_SHADOWED_RULE,
  RESOURCE_NOT_IN_GROUP,
  UNKNOWN_RESOURCE,
  UNKNOWN_VERB,
  SENSITIVE_BODY_LOGGED,
  CONFIGMAP_BODY_LOGGED,
  REQUEST_RECEIVED_NOT_OMITTED,
  NO_CATCH_ALL,
  HIGH_VOLUME_BODY,
];

const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };

/**
 * Lints a policy that read and validated fine. Findings come sorted by position, then
 * severity; each has a documented code (docs/policy.md).
 */
export function lintPolicy(ctx: LintContext): LintFinding[] {
  const all = LINT_RULES.flatMap((r) => r.check(ctx));
  return all.sort(
    (a, b) =>
      a.position.line - b.position.line ||
      a.position.column - b.position.column ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
  );
}

/** Counts findings per severity. */
export function countFindings(findings: readonly LintFinding[]): Record<Severity, number> {
  const out: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) out[f.severity]++;
  return out;
}
