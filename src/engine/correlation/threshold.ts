import { GroupTable } from './group-table.ts';
import { type KindFactory, newestIds } from './kind.ts';

/** A group's matching events inside the window, oldest first (at most `count`). */
interface ThresholdState {
  readonly t: number[];
  readonly id: (string | null)[];
}

/**
 * `threshold` (Sigma event_count): fires when `count` matching events of a group lie
 * within the window, then the group starts over.
 */
export const createThresholdState: KindFactory = (spec, limits, durable) => {
  const windowUs = spec.windowMs * 1000;
  const table = new GroupTable<ThresholdState>(limits, durable);
  return {
    table: table as GroupTable<unknown>,
    codec: {
      save: (s) => s,
      load: (v) => v as ThresholdState,
    },
    weightOf: (s) => (s as ThresholdState).t.length,
    offer(r) {
      const s = table.get(r.key) ?? { t: [], id: [] };
      s.t.push(r.tUs);
      s.id.push(r.auditId ?? null);
      let drop = 0;
      while (drop < s.t.length && (s.t[drop] as number) < r.tUs - windowUs) drop++;
      if (drop > 0) {
        s.t.splice(0, drop);
        s.id.splice(0, drop);
      }
      if (s.t.length >= spec.count) {
        table.delete(r.key);
        return { count: s.t.length, auditIds: newestIds(s.id) };
      }
      table.set(r.key, s, r.tUs, s.t.length);
      return undefined;
    },
    expire(nowUs) {
      table.expireBefore(nowUs - windowUs);
    },
  };
};
