import { parsePriority } from '../../rules/index.ts';
import type { AlertFilter, CountKey } from '../../store/index.ts';
import { ApiError } from './errors.ts';

/** A parsed query string: fastify gives a string, or an array for a repeated key. */
export type Query = Readonly<Record<string, string | string[] | undefined>>;

/** The single value of a query key; a repeated key is an error (except `rule`). */
export function one(q: Query, key: string): string | undefined {
  const v = q[key];
  if (Array.isArray(v)) throw new ApiError(400, 'bad_request', `${key}: give it once`);
  return v === '' ? undefined : v;
}

function many(q: Query, key: string): string[] | undefined {
  const v = q[key];
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v : [v]).filter((s) => s !== '');
}

/** The alert filter of `from to priority rule source tag cluster namespace user verb resource q`. */
export function parseFilter(q: Query): AlertFilter {
  const priority = one(q, 'priority');
  const minPriority = priority === undefined ? undefined : parsePriority(priority);
  if (priority !== undefined && minPriority === undefined) {
    throw new ApiError(
      400,
      'bad_filter',
      `priority: unknown priority ${JSON.stringify(priority.slice(0, 32))}`,
    );
  }
  const f: Record<string, unknown> = {
    from: one(q, 'from'),
    to: one(q, 'to'),
    minPriority,
    rule: many(q, 'rule'),
    source: one(q, 'source'),
    tag: one(q, 'tag'),
    cluster: one(q, 'cluster'),
    namespace: one(q, 'namespace'),
    user: one(q, 'user'),
    verb: one(q, 'verb'),
    resource: one(q, 'resource'),
    text: one(q, 'q'),
  };
  for (const k of Object.keys(f)) if (f[k] === undefined) delete f[k];
  return f as AlertFilter;
}

/** Whether a filter selects a subset (an empty one selects every alert). */
export function isEmptyFilter(f: AlertFilter): boolean {
  return Object.values(f).every((v) => v === undefined || (Array.isArray(v) && v.length === 0));
}

/** A positive integer query value, or undefined when absent. */
export function parseIntParam(q: Query, key: string): number | undefined {
  const v = one(q, key);
  if (v === undefined) return undefined;
  if (!/^\d{1,9}$/.test(v))
    throw new ApiError(400, 'bad_request', `${key}: expected a whole number`);
  return Number(v);
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 };

/** `5m`, `30s`, `1h`, `1d` (or plain milliseconds) in ms. */
export function parseDuration(text: string): number {
  const m = /^(\d{1,9})(ms|s|m|h|d)?$/.exec(text.trim());
  if (m === null)
    throw new ApiError(400, 'bad_request', `bucket: expected a duration such as 5m, 1h or 30s`);
  return Number(m[1]) * (UNIT_MS[m[2] ?? 'ms'] as number);
}

const COUNT_KEYS: readonly CountKey[] = ['priority', 'rule', 'user', 'namespace'];

export function parseCountKey(q: Query): CountKey {
  const by = one(q, 'by') ?? 'priority';
  if (!(COUNT_KEYS as readonly string[]).includes(by)) {
    throw new ApiError(400, 'bad_request', `by: expected one of ${COUNT_KEYS.join(', ')}`);
  }
  return by as CountKey;
}
