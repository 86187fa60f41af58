import { BUILTIN_RESOURCES, findResourceGroups, isResourceInGroup } from '../known-resources.ts';
import { eachResource, isPattern } from './each-resource.ts';
import { createFinding, type LintFinding, type LintRule } from './finding.ts';

/** `unknown-resource`: a resource no built-in group serves, listed under a built-in group. */
export const UNKNOWN_RESOURCE: LintRule = {
  code: 'unknown-resource',
  severity: 'warning',
  summary: 'a resource under a built-in API group is not one that group serves (typo?)',
  check(ctx) {
    const out: LintFinding[] = [];
    eachResource(ctx, (group, resource, path, i) => {
      if (!BUILTIN_RESOURCES.has(group) || isPattern(resource)) return;
      if (isResourceInGroup(group, resource) || findResourceGroups(resource).length > 0) return;
      const message = `group "${group}" has no resource "${resource.split('/')[0]}"; check the spelling (resources are lower-case plurals, e.g. "pods")`;
      out.push(createFinding(ctx, this, path, message, { ruleIndex: i }));
    });
    return out;
  },
};
