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
 * Applies `rules:` selectors in order (Falco ≥ 0.38): each sets `enabled` on the rules
 * whose name matches the glob or that carry the tag. Mutates and returns `rules`.
 * Rules below the minimum priority are never enabled, as in Falco.
 */
export function applyRuleSelection<T extends readonly LoadedRule[]>(
  rules: T,
  selectors: readonly RuleSelector[],
): T {
  for (const sel of selectors) {
    const re = sel.rule === undefined ? undefined : globToRegExp(sel.rule);
    for (const rule of rules) {
      const byName = re?.test(rule.name) === true;
      const byTag = sel.tag !== undefined && rule.tags.includes(sel.tag);
      if (byName || byTag) rule.enabled = sel.action === 'enable' && rule.belowMinPriority !== true;
    }
  }
  return rules;
}
