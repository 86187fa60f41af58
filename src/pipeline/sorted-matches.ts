import type { AuditRecord } from '../events/index.ts';

/** Matches held for `--sort time`, printed in event-time order at the end. */
export interface SortedMatches {
  add(rec: AuditRecord): void;
  /** The matches in order (newest first with `reverse`), at most `limit` of them. */
  take(): AuditRecord[];
}

interface Held {
  readonly rec: AuditRecord;
  readonly ns: bigint;
  /** Arrival order: equal times keep their input order. */
  readonly seq: number;
}

function compareHeld(a: Held, b: Held): number {
  if (a.ns !== b.ns) return a.ns < b.ns ? -1 : 1;
  return a.seq - b.seq;
}

/**
 * Collects matches for sorting by event time (evt.rawtime). Only matches are held, never
 * the inputs; with a limit, at most about twice the limit (the held set is cut back to the
 * limit whenever it doubles), so `--sort time --limit 20` over a large log stays small.
 * Equal times keep input order; `reverse` is the exact reverse of that order.
 */
export function createSortedMatches(opts: { limit?: number; reverse?: boolean }): SortedMatches {
  const limit = opts.limit ?? Number.POSITIVE_INFINITY;
  const sign = opts.reverse === true ? -1 : 1;
  const order = (a: Held, b: Held): number => sign * compareHeld(a, b);
  let held: Held[] = [];
  let seq = 0;
  const cut = (): void => {
    held.sort(order);
    if (held.length > limit) held = held.slice(0, limit);
  };
  return {
    add(rec) {
      held.push({ rec, ns: BigInt(rec.timeNs), seq: seq++ });
      if (held.length >= 2 * limit && held.length > 1024) cut();
    },
    take() {
      cut();
      return held.map((h) => h.rec);
    },
  };
}
