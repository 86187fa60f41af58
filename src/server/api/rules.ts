import type { LoadedRule } from '../../rules/index.ts';

/** A rule as `GET rules` lists it and an alert's `ruleInfo` shows it. */
export interface ApiRule {
  readonly name: string;
  readonly priority: string;
  readonly source: string;
  readonly tags: readonly string[];
  readonly description: string;
  /** The condition as it runs: lists and macros expanded, exceptions added. */
  readonly condition: string;
  readonly enabled: boolean;
  /** `file:line:col` of the rule's definition. */
  readonly defined: string;
}

/** What the server's `rules` provider returns: the loaded rules in the API's shape. */
export function describeRules(rules: readonly LoadedRule[]): ApiRule[] {
  return rules.map((r) => ({
    name: r.name,
    priority: r.priority,
    source: r.source,
    tags: r.tags,
    description: r.desc,
    condition: r.compiledCondition,
    enabled: r.enabled && r.belowMinPriority !== true,
    defined: `${r.position.name}:${r.position.line}:${r.position.column}`,
  }));
}

/** The `ruleInfo` of an alert page (without the name and the enabled flag). */
export function ruleInfoOf(rules: readonly ApiRule[], name: string) {
  const r = rules.find((x) => x.name === name);
  if (r === undefined) return null;
  return {
    description: r.description,
    condition: r.condition,
    tags: r.tags,
    priority: r.priority,
    source: r.source,
    defined: r.defined,
  };
}
