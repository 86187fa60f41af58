import { BUILTIN_RESOURCES, findResourceGroups, isResourceInGroup } from '../known-resources.ts';
import { eachResource, isPattern } from './each-resource.ts';
import { createFinding, type LintFinding, type LintRule } from './finding.ts';

/** `resource-not-in-group`: a built-in resource listed under a built-in group that lacks it. */
export const RESOURCE_NOT_IN_GROUP: LintRule = {
  code: 'resource-not-in-group',
  severity: 'error',
  summary:
    'a resource is listed under an API group that does not serve it; the entry never matches',
  check(ctx) {
    const out: LintFinding[] = [];
    eachResource(ctx, (group, resource, path, i) => {
      if (!BUILTIN_RESOURCES.has(group) || isPattern(resource)) return;
      if (isResourceInGroup(group, resource)) return;
      const homes = findResourceGroups(resource);
      if (homes.length === 0) return;
      const where = homes.map((g) => `"${g}"`).join(' or ');
      const message = `"${resource}" is not served by group "${group}" (it is in group ${where}), so this entry never matches; list it under group ${where}`;
      out.push(createFinding(ctx, this, path, message, { ruleIndex: i }));
    });
    return out;
  },
};
