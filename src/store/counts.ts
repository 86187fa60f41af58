import { formatIsoTimeNs } from '../outputs/index.ts';
import { priorityOfRank } from './alert-row.ts';
import type { NormalFilter } from './filter.ts';
import { type CountKey, type CountsOptions, type CountsResult, StoreError } from './store.ts';

/** The column each count key groups by. */
export const COUNT_COLUMNS: Readonly<Record<CountKey, string>> = {
  priority: 'priority',
  rule: 'rule',
  user: 'user_name',
  namespace: 'namespace',
};

export const COUNT_LIMIT_DEFAULT = 10;
export const COUNT_LIMIT_MAX = 100;
export const BUCKETS_MAX = 10_000;
const NS_PER_MS = 1_000_000n;

/** Bucket widths a default is rounded up to, in ms. */
const STEPS_MS = [
  1e3,
  5e3,
  10e3,
  30e3,
  60e3,
  300e3,
  600e3,
  1800e3,
  3600e3,
  3 * 3600e3,
  6 * 3600e3,
  12 * 3600e3,
  86400e3,
  7 * 86400e3,
  30 * 86400e3,
];

export interface CountsPlan {
  readonly column: string;
  readonly limit: number;
  readonly bucketMs: number;
  readonly bucketNs: bigint;
  /** The filter with both time bounds set. */
  readonly filter: NormalFilter;
}

/**
 * Fixes the time range (the filter's, else the matching alerts' first and last times,
 * else an empty range at now) and the bucket width; buckets start at multiples of the
 * width since the epoch, so that the same range always gives the same buckets.
 */
export function planCounts(
  f: NormalFilter,
  o: CountsOptions,
  span: { readonly min: bigint | null; readonly max: bigint | null },
): CountsPlan {
  const column = COUNT_COLUMNS[o.by];
  if (column === undefined)
    throw new StoreError('bad_filter', `by: expected priority, rule, user or namespace`);
  const limit = o.limit ?? COUNT_LIMIT_DEFAULT;
  if (!Number.isInteger(limit) || limit < 1 || limit > COUNT_LIMIT_MAX) {
    throw new StoreError('bad_filter', `limit: expected an integer from 1 to ${COUNT_LIMIT_MAX}`);
  }
  const nowNs = BigInt(Date.now()) * NS_PER_MS;
  const toNs = f.toNs ?? (span.max === null ? nowNs : span.max + 1n);
  const fromNs = f.fromNs ?? (span.min === null ? toNs : span.min);
  if (fromNs > toNs) throw new StoreError('bad_filter', 'from: later than to');
  const rangeMs = Number((toNs - fromNs) / NS_PER_MS);
  let bucketMs = o.bucketMs;
  if (bucketMs === undefined) {
    bucketMs = STEPS_MS.find((s) => rangeMs / s <= 60) ?? (STEPS_MS[STEPS_MS.length - 1] as number);
  } else if (!Number.isInteger(bucketMs) || bucketMs < 1000) {
    throw new StoreError('bad_filter', 'bucket: expected a whole number of seconds, at least 1 s');
  }
  if (rangeMs / bucketMs > BUCKETS_MAX) {
    throw new StoreError(
      'bad_filter',
      `bucket: the range would make more than ${BUCKETS_MAX} buckets`,
    );
  }
  return {
    column,
    limit,
    bucketMs,
    bucketNs: BigInt(bucketMs) * NS_PER_MS,
    filter: { ...f, fromNs, toNs },
  };
}

/** A database key as the API reports it: priority names, and "" for none. */
function keyName(by: CountKey, key: unknown): string {
  if (key === null || key === undefined) return '';
  return by === 'priority' ? priorityOfRank(Number(key)) : String(key);
}

/** Builds the result from the totals and (key, bucket index, count) rows. */
export function assembleCounts(
  by: CountKey,
  plan: CountsPlan,
  totals: readonly { readonly key: unknown; readonly count: unknown }[],
  cells: readonly { readonly key: unknown; readonly b: unknown; readonly count: unknown }[],
): CountsResult {
  const byBucket = new Map<string, Record<string, number>>();
  for (const c of cells) {
    const b = String(c.b);
    let counts = byBucket.get(b);
    if (counts === undefined) byBucket.set(b, (counts = {}));
    counts[keyName(by, c.key)] = Number(c.count);
  }
  const buckets = [...byBucket.entries()]
    .map(([b, counts]) => ({ n: BigInt(b), counts }))
    .sort((x, y) => (x.n < y.n ? -1 : x.n > y.n ? 1 : 0))
    .map(({ n, counts }) => ({ t: formatIsoTimeNs((n * plan.bucketNs).toString()), counts }));
  return {
    by,
    bucketMs: plan.bucketMs,
    from: formatIsoTimeNs(String(plan.filter.fromNs)),
    to: formatIsoTimeNs(String(plan.filter.toNs)),
    totals: totals.map((t) => ({ key: keyName(by, t.key), count: Number(t.count) })),
    buckets,
  };
}
