import { GroupTable } from './group-table.ts';
import { type KindFactory, newestIds } from './kind.ts';

/** A sequence under way: its events so far (one per completed step). */
interface Partial {
  readonly t: readonly number[];
  readonly id: readonly (string | null)[];
}

/** `p[i]`: the partial sequence whose steps 0..i are done, if any. */
interface SequenceState {
  readonly p: (Partial | null)[];
}

function weight(s: SequenceState): number {
  let n = 0;
  for (const p of s.p) n += p?.t.length ?? 0;
  return n;
}

/**
 * `sequence` (Sigma temporal_ordered, EQL's `sequence by … with maxspan`): the steps'
 * matches in order, within the window from the first. Per group there is at most one
 * partial sequence per step: a new first step replaces the one waiting (the newest start
 * gives the shortest sequence), and a step moves the partial of the step before it.
 * One event matching several steps is handed over last step first (the engine orders
 * them so), so it never moves one sequence twice.
 */
export const createSequenceState: KindFactory = (spec, limits, durable) => {
  const windowUs = spec.windowMs * 1000;
  const last = spec.steps.length - 1;
  const table = new GroupTable<SequenceState>(limits, durable);
  const store = (key: string, s: SequenceState, tUs: number): void => {
    const w = weight(s);
    if (w === 0) table.delete(key);
    else table.set(key, s, tUs, w);
  };
  return {
    table: table as GroupTable<unknown>,
    codec: { save: (s) => s, load: (v) => v as SequenceState },
    weightOf: (s) => weight(s as SequenceState),
    offer(r) {
      const id = r.auditId ?? null;
      if (r.step === 0) {
        const s = table.get(r.key) ?? { p: new Array<Partial | null>(last).fill(null) };
        s.p[0] = { t: [r.tUs], id: [id] };
        store(r.key, s, r.tUs);
        return undefined;
      }
      const s = table.get(r.key);
      const before = s?.p[r.step - 1];
      if (s === undefined || before == null) return undefined;
      s.p[r.step - 1] = null;
      if (r.tUs - (before.t[0] as number) > windowUs) {
        store(r.key, s, r.tUs);
        return undefined;
      }
      const next: Partial = { t: [...before.t, r.tUs], id: [...before.id, id] };
      if (r.step === last) {
        store(r.key, s, r.tUs);
        return { count: next.t.length, auditIds: newestIds(next.id) };
      }
      s.p[r.step] = next;
      store(r.key, s, r.tUs);
      return undefined;
    },
    expire(nowUs) {
      table.expireBefore(nowUs - windowUs);
    },
  };
};
