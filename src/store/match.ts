import { priorityRank } from '../rules/index.ts';
import { normalizeFilter } from './filter.ts';
import type { AlertFilter, StoredAlert } from './store.ts';

type TextKey =
  | 'output'
  | 'rule'
  | 'namespace'
  | 'user'
  | 'name'
  | 'resource'
  | 'verb'
  | 'cluster'
  | 'sourceIp'
  | 'userAgent'
  | 'auditId';

/** The fields `text` searches, as filter.ts's TEXT_COLUMNS. */
const TEXT_FIELDS: readonly TextKey[] = [
  'output',
  'rule',
  'namespace',
  'user',
  'name',
  'resource',
  'verb',
  'cluster',
  'sourceIp',
  'userAgent',
  'auditId',
];

/**
 * The filter as a test on one stored alert, for live streams: the same selection as the
 * SQL of list() (text search folds case with toLowerCase, where SQLite folds ASCII only).
 * Throws StoreError('bad_filter') as list() would.
 */
export function createAlertMatcher(filter: AlertFilter): (a: StoredAlert) => boolean {
  const f = normalizeFilter(filter);
  // One test per key the filter sets: a stream checks only what its filter names.
  const tests: ((a: StoredAlert) => boolean)[] = [];
  const { fromNs, toNs, maxRank, rules, tag, text } = f;
  if (fromNs !== undefined) tests.push((a) => BigInt(a.timeNs) >= fromNs);
  if (toNs !== undefined) tests.push((a) => BigInt(a.timeNs) < toNs);
  if (maxRank !== undefined) tests.push((a) => priorityRank(a.priority) <= maxRank);
  if (rules !== undefined) {
    const set = new Set(rules);
    tests.push((a) => set.has(a.rule));
  }
  for (const key of EQUAL_KEYS) {
    const want = f[key];
    if (want !== undefined) tests.push((a) => a[key] === want);
  }
  if (tag !== undefined) tests.push((a) => a.tags.includes(tag));
  if (text !== undefined) {
    tests.push((a) => TEXT_FIELDS.some((k) => a[k]?.toLowerCase().includes(text) === true));
  }
  return (a) => tests.every((t) => t(a));
}

const EQUAL_KEYS = ['source', 'cluster', 'namespace', 'user', 'verb', 'resource'] as const;
