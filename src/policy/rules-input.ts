import { analyzeRequirements } from '../engine/requirements.ts';
import type { LoadedRule } from '../rules/types.ts';
import type { CoverageInput } from './coverage.ts';

/** The enabled k8s_audit rules of a ruleset, reduced to what coverage and generate need. */
export function toCoverageInputs(rules: readonly LoadedRule[]): CoverageInput[] {
  return rules
    .filter((r) => r.enabled && r.source === 'k8s_audit')
    .map((r) => ({ name: r.name, requirements: analyzeRequirements(r.condition) }));
}
