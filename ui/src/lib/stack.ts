import type { CountsResponse } from '../api/types.ts';
import { priorityRank } from './priority.ts';

/** Bars for a stacked chart: x in seconds, one row of counts per key, every bucket filled. */
export interface StackedSeries {
  readonly xs: readonly number[];
  /** Keys bottom of the stack first (least severe first for priorities). */
  readonly keys: readonly string[];
  /** counts[k][i]: alerts of keys[k] in bucket i. */
  readonly counts: readonly (readonly number[])[];
  readonly bucketMs: number;
}

// Beyond this many buckets the chart would be unreadable and the arrays large.
const MAX_BUCKETS = 2000;

/**
 * Turns a counts answer into dense, aligned series. The API may leave empty buckets out;
 * they become zeros between the first and last bucket (or the answer's from/to).
 */
export function stackCounts(res: CountsResponse): StackedSeries {
  const step = res.bucketMs > 0 ? res.bucketMs : 60_000;
  const keys = res.totals
    .map((t) => t.key)
    .sort((a, b) => priorityRank(b) - priorityRank(a) || a.localeCompare(b));
  const times = res.buckets.map((b) => Date.parse(b.t)).filter((t) => !Number.isNaN(t));
  const bounds = [...times];
  const from = res.from === null ? Number.NaN : Date.parse(res.from);
  const to = res.to === null ? Number.NaN : Date.parse(res.to);
  if (!Number.isNaN(from)) bounds.push(Math.floor(from / step) * step);
  if (!Number.isNaN(to)) bounds.push(Math.floor((to - 1) / step) * step);
  if (bounds.length === 0) return { xs: [], keys, counts: keys.map(() => []), bucketMs: step };
  let first = Math.min(...bounds);
  const last = Math.max(...bounds);
  if ((last - first) / step >= MAX_BUCKETS) first = last - (MAX_BUCKETS - 1) * step;
  const n = Math.floor((last - first) / step) + 1;
  const xs = Array.from({ length: n }, (_, i) => (first + i * step) / 1000);
  const counts = keys.map(() => new Array<number>(n).fill(0));
  for (const b of res.buckets) {
    const i = Math.round((Date.parse(b.t) - first) / step);
    if (!(i >= 0 && i < n)) continue;
    keys.forEach((k, ki) => {
      const c = b.counts[k];
      if (typeof c === 'number' && c > 0) (counts[ki] as number[])[i] = c;
    });
  }
  return { xs, keys, counts, bucketMs: step };
}

/** Running sums bottom-up: row k is the top edge of key k's part of each bar. */
export function cumulate(counts: readonly (readonly number[])[]): number[][] {
  const out: number[][] = [];
  let below: readonly number[] | undefined;
  for (const row of counts) {
    const sum = row.map((v, i) => v + (below?.[i] ?? 0));
    out.push(sum);
    below = sum;
  }
  return out;
}
