import type { LoadedRule } from './types.ts';

/** One entry of falco.yaml's `rules:` list: enable or disable by rule name glob or tag. */
export interface RuleSelector {
  readonly action: 'enable' | 'disable';
  /** Rule name; `*` matches any run of characters (Falco's wildcard match). */
  readonly rule?: string;
  readonly tag?: string;
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's');
}

/**
 * Applies `rules:` selectors in order (Falco ≥ 0.38) and returns the rules with the
 * `enabled` each ends up with: a selector sets it on the rules whose name matches the
 * glob or that carry the tag, later selectors winning. Rules below the minimum priority
 * are never enabled, as in Falco. The input is not changed: rules whose state changes
 * are copied, the others are returned as they are.
 *
 * @example
 * const rules = selectRules(loaded.rules, [{ action: 'disable', tag: 'k8s_activity' }]);
 */
export function selectRules(
  rules: readonly LoadedRule[],
  selectors: readonly RuleSelector[],
): readonly LoadedRule[] {
  if (selectors.length === 0) return rules;
  const matchers = selectors.map((sel) => ({
    enable: sel.action === 'enable',
    name: sel.rule === undefined ? undefined : globToRegExp(sel.rule),
    tag: sel.tag,
  }));
  return rules.map((rule) => {
    let enabled = rule.enabled;
    for (const m of matchers) {
      const byName = m.name?.test(rule.name) === true;
      const byTag = m.tag !== undefined && rule.tags.includes(m.tag);
      if (byName || byTag) enabled = m.enable && rule.belowMinPriority !== true;
    }
    return enabled === rule.enabled ? rule : { ...rule, enabled };
  });
}
