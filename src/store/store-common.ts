import { LIMIT_MAX } from './db-row.ts';
import type { AlertFilter, AlertStore, PruneOptions, StoredAlert } from './store.ts';

const ID = /^[1-9]\d{0,18}$/;

/** Whether `id` can be a store id (decimal, positive, fits a signed 64-bit integer). */
export function validId(id: string): boolean {
  return ID.test(id) && BigInt(id) <= 9223372036854775807n;
}

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Every matching alert, newest first, one page of LIMIT_MAX at a time. */
export async function* exportPages(
  store: AlertStore,
  filter: AlertFilter,
): AsyncGenerator<StoredAlert> {
  let cursor: string | undefined;
  do {
    const page = await store.list(filter, {
      limit: LIMIT_MAX,
      ...(cursor === undefined ? {} : { cursor }),
    });
    yield* page.items;
    cursor = page.next ?? undefined;
  } while (cursor !== undefined);
}

/**
 * The condition that a count's group column holds one of the kept keys (a null key is
 * tested with IS NULL); undefined when no key was kept.
 */
export function keyCondition(
  column: string,
  totals: readonly { readonly key: unknown }[],
  add: (v: unknown) => string,
): string | undefined {
  const keys = totals.map((t) => t.key).filter((k) => k !== null);
  const tests = [
    ...(keys.length > 0 ? [`${column} IN (${keys.map(add).join(', ')})`] : []),
    ...(totals.some((t) => t.key === null) ? [`${column} IS NULL`] : []),
  ];
  return tests.length === 0 ? undefined : `(${tests.join(' OR ')})`;
}

/** A retention bound: delete alerts before `timeNs`, or up to and including (timeNs, id). */
export interface PruneThreshold {
  readonly timeNs: bigint;
  readonly id?: bigint;
}

type MaybePromise<T> = T | Promise<T>;

/**
 * What `prune` deletes: alerts older than maxAgeMs, and past the newest maxRows (or the
 * rows that fit maxBytes, estimated from the average row size) the boundary row found by
 * `nthNewest`.
 */
export async function pruneThresholds(
  o: PruneOptions,
  size: { count(): MaybePromise<number>; bytes(): MaybePromise<number> },
  nthNewest: (
    offset: number,
  ) => MaybePromise<{ time_ns: bigint | string; id: bigint | string } | undefined>,
): Promise<PruneThreshold[]> {
  const out: PruneThreshold[] = [];
  if (o.maxAgeMs !== undefined) {
    const now = o.nowMs ?? Date.now();
    out.push({ timeNs: BigInt(Math.floor(now - o.maxAgeMs)) * 1_000_000n });
  }
  if (o.maxRows !== undefined || o.maxBytes !== undefined) {
    const count = await size.count();
    let keep = o.maxRows ?? count;
    if (o.maxBytes !== undefined && count > 0) {
      const bytes = await size.bytes();
      if (bytes > o.maxBytes) keep = Math.min(keep, Math.floor((count * o.maxBytes) / bytes));
    }
    if (count > keep) {
      const row = await nthNewest(Math.max(0, Math.floor(keep)));
      if (row !== undefined) out.push({ timeNs: BigInt(row.time_ns), id: BigInt(row.id) });
    }
  }
  return out;
}
