import type { GroupResources, Level, Policy, PolicyRule } from './types.ts';

/** The request attributes the apiserver evaluates a policy against. */
export interface PolicyRequest {
  /** Absent: no user information (failed authentication). */
  readonly user?: { readonly name: string; readonly groups: readonly string[] };
  readonly verb: string;
  readonly isResourceRequest: boolean;
  readonly namespace?: string;
  readonly apiGroup?: string;
  readonly resource?: string;
  readonly subresource?: string;
  readonly name?: string;
  /** URL path; used for non-resource requests. */
  readonly path?: string;
}

/** Why one rule did not match: the first selector that rejected the request. */
export interface RuleMiss {
  readonly ruleIndex: number;
  readonly reason:
    | 'no_user'
    | 'users'
    | 'userGroups'
    | 'verbs'
    | 'rule_for_resources'
    | 'rule_for_urls'
    | 'namespaces'
    | 'resources'
    | 'nonResourceURLs';
}

/** What the policy decides for a request. */
export interface PolicyDecision {
  readonly level: Level;
  /** Union of the policy's and the matching rule's omitStages, without duplicates. */
  readonly omitStages: readonly string[];
  readonly omitManagedFields: boolean;
  /** The matching rule, or -1 when none matched (level None). */
  readonly ruleIndex: number;
  /** One entry per rule tried before the match (or every rule when none matched). */
  readonly misses: readonly RuleMiss[];
}

/** Does one resource pattern match (resource, subresource)? Apiserver semantics. */
export function matchResourcePattern(pattern: string, resource: string, sub: string): boolean {
  const combined = sub === '' ? resource : `${resource}/${sub}`;
  if (pattern === combined || pattern === '*') return true;
  if (pattern.startsWith('*/')) return sub !== '' && pattern.slice(2) === sub;
  // "res/*" also matches the bare resource: an upstream quirk the vectors pin down.
  if (pattern.endsWith('/*')) return pattern.slice(0, -2) === resource;
  return false;
}

function matchGroupResources(entries: readonly GroupResources[], req: PolicyRequest): boolean {
  const group = req.apiGroup ?? '';
  const resource = req.resource ?? '';
  const sub = req.subresource ?? '';
  for (const gr of entries) {
    const g = gr.group ?? '';
    if (g !== group && g !== '*') continue;
    const patterns = gr.resources ?? [];
    if (patterns.length === 0) return true;
    const names = gr.resourceNames ?? [];
    if (names.length > 0 && !names.includes(req.name ?? '')) continue;
    if (patterns.some((p) => matchResourcePattern(p, resource, sub))) return true;
  }
  return false;
}

/** Does a non-resource URL pattern match a path? `"*"` any, trailing `*` a prefix. */
export function matchUrlPattern(pattern: string, path: string): boolean {
  if (pattern === '*' || pattern === path) return true;
  if (!pattern.endsWith('*')) return false;
  return path.startsWith(pattern.replace(/\*+$/, ''));
}

function isEmpty(list: readonly unknown[] | undefined): boolean {
  return list === undefined || list.length === 0;
}

type MissReason = RuleMiss['reason'];

/** The user selectors (users, userGroups): which one rejects the request, if any. */
function userMiss(rule: PolicyRule, req: PolicyRequest): MissReason | undefined {
  if (isEmpty(rule.users) && isEmpty(rule.userGroups)) return undefined;
  if (req.user === undefined) return 'no_user';
  if (!isEmpty(rule.users) && !rule.users?.includes(req.user.name ?? '')) return 'users';
  if (!isEmpty(rule.userGroups)) {
    const groups = req.user.groups ?? [];
    if (!groups.some((g) => rule.userGroups?.includes(g))) return 'userGroups';
  }
  return undefined;
}

/** The resource selectors (namespaces, resources) of a rule that has some. */
function resourceMiss(rule: PolicyRule, req: PolicyRequest): MissReason | undefined {
  if (!req.isResourceRequest) return 'rule_for_resources';
  if (!isEmpty(rule.namespaces) && !rule.namespaces?.includes(req.namespace ?? '')) {
    return 'namespaces';
  }
  if (!isEmpty(rule.resources) && !matchGroupResources(rule.resources ?? [], req)) {
    return 'resources';
  }
  return undefined;
}

/** The non-resource URL selector of a rule that has one. */
function urlMiss(rule: PolicyRule, req: PolicyRequest): MissReason | undefined {
  if (req.isResourceRequest) return 'rule_for_urls';
  const path = req.path ?? '';
  return rule.nonResourceURLs?.some((p) => matchUrlPattern(p, path))
    ? undefined
    : 'nonResourceURLs';
}

/**
 * Checks one rule; returns the first selector that rejects the request, or undefined.
 * Selectors are checked in the apiserver's order: users, groups, verbs, then resources or
 * non-resource URLs (a rule with resource selectors never looks at URLs).
 */
export function explainRuleMiss(rule: PolicyRule, req: PolicyRequest): MissReason | undefined {
  const user = userMiss(rule, req);
  if (user !== undefined) return user;
  if (!isEmpty(rule.verbs) && !rule.verbs?.includes(req.verb)) return 'verbs';
  if (!isEmpty(rule.namespaces) || !isEmpty(rule.resources)) return resourceMiss(rule, req);
  if (!isEmpty(rule.nonResourceURLs)) return urlMiss(rule, req);
  return undefined;
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

/**
 * Evaluates a (valid) policy for a request: the first matching rule decides level,
 * omitStages (union with the policy's) and omitManagedFields (rule's when set).
 */
export function evaluatePolicy(policy: Policy, req: PolicyRequest): PolicyDecision {
  const misses: RuleMiss[] = [];
  const policyStages = policy.omitStages ?? [];
  const defaultOmit = policy.omitManagedFields ?? false;
  for (let i = 0; i < policy.rules.length; i++) {
    const rule = policy.rules[i] as PolicyRule;
    const reason = explainRuleMiss(rule, req);
    if (reason !== undefined) {
      misses.push({ ruleIndex: i, reason });
      continue;
    }
    return {
      level: rule.level as Level,
      omitStages: union(policyStages, rule.omitStages ?? []),
      omitManagedFields: rule.omitManagedFields ?? defaultOmit,
      ruleIndex: i,
      misses,
    };
  }
  return {
    level: 'None',
    omitStages: union(policyStages, []),
    omitManagedFields: defaultOmit,
    ruleIndex: -1,
    misses,
  };
}
