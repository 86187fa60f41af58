import { GroupTable } from './group-table.ts';
import { type KindFactory, newestIds } from './kind.ts';

/** Per step, its newest match in the window: [time µs, auditID], or null. */
interface UnorderedState {
  readonly e: ([number, string | null] | null)[];
}

/**
 * `unordered` (Sigma temporal): fires when every step matched within the window in a
 * group, in any order, then the group starts over. A step matched again keeps its newest
 * match; one event may stand for several steps.
 */
export const createUnorderedState: KindFactory = (spec, limits, durable) => {
  const windowUs = spec.windowMs * 1000;
  const table = new GroupTable<UnorderedState>(limits, durable);
  const count = (s: UnorderedState): number => s.e.filter((x) => x !== null).length;
  return {
    table: table as GroupTable<unknown>,
    codec: { save: (s) => s, load: (v) => v as UnorderedState },
    weightOf: (s) => count(s as UnorderedState),
    offer(r) {
      const s = table.get(r.key) ?? { e: new Array(spec.steps.length).fill(null) };
      s.e[r.step] = [r.tUs, r.auditId ?? null];
      for (let i = 0; i < s.e.length; i++) {
        const x = s.e[i];
        if (x != null && x[0] < r.tUs - windowUs) s.e[i] = null;
      }
      if (s.e.every((x) => x !== null)) {
        table.delete(r.key);
        const done = s.e as [number, string | null][];
        return { count: done.length, auditIds: newestIds(done.map(([, id]) => id)) };
      }
      table.set(r.key, s, r.tUs, count(s));
      return undefined;
    },
    expire(nowUs) {
      table.expireBefore(nowUs - windowUs);
    },
  };
};
