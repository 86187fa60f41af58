import { priorityRank } from '../engine/priority.ts';
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
  const rules = f.rules === undefined ? undefined : new Set(f.rules);
  return (a) => {
    const t = BigInt(a.timeNs);
    if (f.fromNs !== undefined && t < f.fromNs) return false;
    if (f.toNs !== undefined && t >= f.toNs) return false;
    if (f.maxRank !== undefined && priorityRank(a.priority) > f.maxRank) return false;
    if (rules !== undefined && !rules.has(a.rule)) return false;
    if (f.source !== undefined && a.source !== f.source) return false;
    if (f.tag !== undefined && !a.tags.includes(f.tag)) return false;
    if (f.cluster !== undefined && a.cluster !== f.cluster) return false;
    if (f.namespace !== undefined && a.namespace !== f.namespace) return false;
    if (f.user !== undefined && a.user !== f.user) return false;
    if (f.verb !== undefined && a.verb !== f.verb) return false;
    if (f.resource !== undefined && a.resource !== f.resource) return false;
    if (f.text !== undefined) {
      const needle = f.text;
      if (!TEXT_FIELDS.some((k) => a[k]?.toLowerCase().includes(needle) === true)) return false;
    }
    return true;
  };
}
