import { GroupTable } from './group-table.ts';
import { type KindFactory, newestIds } from './kind.ts';

/** Each distinct value with its last event (time, auditID), oldest first. */
type DistinctState = Map<string, readonly [tUs: number, auditId: string | null]>;

/**
 * `distinct` (Sigma value_count): fires when the counted field took `count` distinct
 * values within the window in a group, then the group starts over. A value seen again
 * counts once, with its newest time.
 */
export const createDistinctState: KindFactory = (spec, limits, durable) => {
  const windowUs = spec.windowMs * 1000;
  const table = new GroupTable<DistinctState>(limits, durable);
  return {
    table: table as GroupTable<unknown>,
    codec: {
      save: (s) => [...(s as DistinctState)].map(([v, [t, id]]) => [v, t, id]),
      load: (v) =>
        new Map(
          (v as [string, number, string | null][]).map(([x, t, id]) => [x, [t, id] as const]),
        ),
    },
    weightOf: (s) => (s as DistinctState).size,
    offer(r) {
      const value = r.value;
      if (value === undefined) return undefined;
      const s: DistinctState = table.get(r.key) ?? new Map();
      s.delete(value);
      s.set(value, [r.tUs, r.auditId ?? null]);
      for (const [v, [t]] of s) {
        if (t >= r.tUs - windowUs) break;
        s.delete(v);
      }
      if (s.size >= spec.count) {
        table.delete(r.key);
        return {
          count: s.size,
          auditIds: newestIds([...s.values()].map(([, id]) => id)),
          values: [...s.keys()],
        };
      }
      table.set(r.key, s, r.tUs, s.size);
      return undefined;
    },
    expire(nowUs) {
      table.expireBefore(nowUs - windowUs);
    },
  };
};
