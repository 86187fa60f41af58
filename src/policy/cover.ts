import type { GroupResources, PolicyRule } from './types.ts';

/**
 * Conservative "rule A catches every request rule B could match" analysis, used for
 * shadowing, sensitive-body reachability and volume checks. It answers true only when it
 * can prove it from the selectors; "maybe" is false, so findings built on it are sound.
 */

function has<T>(list: readonly T[] | undefined): list is readonly T[] {
  return list !== undefined && list.length > 0;
}

/** A's list selector admits everything B's does: A empty, or B non-empty and B ⊆ A. */
function coversList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (!has(a)) return true;
  return has(b) && b.every((x) => a.includes(x));
}

/** Which branch a rule matches: resource requests, non-resource requests, or both. */
export function ruleBranch(rule: PolicyRule): 'resource' | 'nonResource' | 'any' {
  if (has(rule.namespaces) || has(rule.resources)) return 'resource';
  if (has(rule.nonResourceURLs)) return 'nonResource';
  return 'any';
}

/** Does resource pattern `a` match every (resource, subresource) pattern `b` matches? */
export function coversResourcePattern(a: string, b: string): boolean {
  if (a === '*' || a === b) return true;
  if (a.startsWith('*/'))
    return b.includes('/') && !b.startsWith('*/') ? b.endsWith(a.slice(1)) : false;
  if (a.endsWith('/*')) {
    const base = a.slice(0, -2);
    return b === base || (b.startsWith(`${base}/`) && !b.startsWith('*'));
  }
  return false;
}

function coversEntry(a: GroupResources, b: GroupResources): boolean {
  const ag = a.group ?? '';
  const bg = b.group ?? '';
  if (ag !== '*' && ag !== bg) return false;
  const ar = a.resources ?? [];
  if (ar.length === 0) return true;
  const br = b.resources ?? [];
  if (br.length === 0) return ar.includes('*') && !has(a.resourceNames);
  if (!coversList(a.resourceNames, b.resourceNames)) return false;
  return br.every((p) => ar.some((q) => coversResourcePattern(q, p)));
}

/** Split B's entries into one entry per resource pattern, so several A entries can share. */
function splitEntries(entries: readonly GroupResources[]): GroupResources[] {
  return entries.flatMap((e) =>
    (e.resources ?? []).length === 0
      ? [e]
      : (e.resources ?? []).map((r) => ({ ...e, resources: [r] })),
  );
}

function coversResources(a: PolicyRule, b: PolicyRule): boolean {
  if (!coversList(a.namespaces, b.namespaces)) return false;
  if (!has(a.resources)) return true;
  if (!has(b.resources)) return false;
  const aEntries = a.resources;
  return splitEntries(b.resources).every((be) => aEntries.some((ae) => coversEntry(ae, be)));
}

/** Does URL pattern `a` match every path pattern `b` matches? */
export function coversUrlPattern(a: string, b: string): boolean {
  if (a === '*' || a === b) return true;
  if (!a.endsWith('*') || b === '*') return false;
  return b.startsWith(a.replace(/\*+$/, ''));
}

function coversBranch(a: PolicyRule, b: PolicyRule): boolean {
  const ak = ruleBranch(a);
  const bk = ruleBranch(b);
  if (ak === 'any') return true;
  if (ak !== bk) return false;
  if (ak === 'resource') return coversResources(a, b);
  const aUrls = a.nonResourceURLs ?? [];
  return (b.nonResourceURLs ?? []).every((u) => aUrls.some((p) => coversUrlPattern(p, u)));
}

/** True when every request rule `b` matches is also matched by rule `a` (provably). */
export function ruleCovers(a: PolicyRule, b: PolicyRule): boolean {
  // A user selector in A needs the same kind of selector in B to be provable.
  if (has(a.users) && !coversList(a.users, b.users)) return false;
  if (has(a.userGroups) && !coversList(a.userGroups, b.userGroups)) return false;
  return coversList(a.verbs, b.verbs) && coversBranch(a, b);
}

/** The first of `earlier` rules that covers `b`, or -1. */
export function findCoveringRule(earlier: readonly PolicyRule[], b: PolicyRule): number {
  return earlier.findIndex((a) => ruleCovers(a, b));
}

function sameSet(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const sa = new Set(a ?? []);
  const sb = new Set(b ?? []);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

/** Same selectors (order and duplicates aside): the later one is a duplicate. */
export function sameSelectors(a: PolicyRule, b: PolicyRule): boolean {
  const key = (r: PolicyRule): string[] =>
    splitEntries(r.resources ?? []).map((e) =>
      JSON.stringify([e.group ?? '', e.resources ?? [], [...(e.resourceNames ?? [])].sort()]),
    );
  return (
    sameSet(a.users, b.users) &&
    sameSet(a.userGroups, b.userGroups) &&
    sameSet(a.verbs, b.verbs) &&
    sameSet(a.namespaces, b.namespaces) &&
    sameSet(a.nonResourceURLs, b.nonResourceURLs) &&
    sameSet(key(a), key(b))
  );
}
