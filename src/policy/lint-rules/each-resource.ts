import type { LintRule } from './finding.ts';

/** Calls `visit` for every resource pattern of every rule, with its path. */
export function eachResource(
  ctx: Parameters<LintRule['check']>[0],
  visit: (group: string, resource: string, path: string, ruleIndex: number) => void,
): void {
  ctx.policy.rules.forEach((rule, i) => {
    (rule.resources ?? []).forEach((e, ei) => {
      (e.resources ?? []).forEach((r, ri) => {
        visit(e.group ?? '', r, `rules[${i}].resources[${ei}].resources[${ri}]`, i);
      });
    });
  });
}

/** Wildcard patterns (a leading star) are not resource names. */
export function isPattern(resource: string): boolean {
  return resource.startsWith('*');
}
