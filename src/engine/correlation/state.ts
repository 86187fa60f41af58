import type { GroupTable, StateCodec } from './group-table.ts';
import type { RulePlan, StateChanges } from './plan.ts';
import type { Buffered, ReorderBuffer } from './reorder.ts';
import type { StepMatch } from './step-match.ts';

/** The correlator's mutable state, shared with the functions that store it. */
export interface CorrelatorState {
  readonly plans: readonly RulePlan[];
  readonly buffer: ReorderBuffer;
  /** Watermark (µs): every match from now on is correlated at this time or later. */
  wmUs: number;
  /** The clock: the newest event time seen, whole seconds. */
  clockSec: number;
  /** Next arrival number of the reorder buffer. */
  seq: number;
  /** Matches buffered since the last takeChanges (not stored yet), by arrival number. */
  readonly added: Map<number, Buffered>;
  /** Stored matches released since the last takeChanges. */
  readonly removed: Set<number>;
  /** Write every row at the next takeChanges, deleting all others. */
  replaceAll: boolean;
}

// Row keys: `m` the clock; `b:<seq>` a buffered match; `g`/`s` + JSON [rule, fingerprint,
// key] a group of a rule's correlation or suppression. Values are JSON.
const META = 'm';
const NO_CHANGES: StateChanges = { replace: false, upserts: [], deletes: [] };

interface Table {
  readonly tag: 'g' | 's';
  readonly plan: RulePlan;
  readonly table: GroupTable<unknown>;
  readonly codec: StateCodec<unknown>;
  readonly weightOf: (s: unknown) => number;
}

const IDENTITY: StateCodec<unknown> = { save: (s) => s, load: (v) => v };

function tablesOf(plans: readonly RulePlan[]): Table[] {
  const out: Table[] = [];
  for (const plan of plans) {
    if (plan.kind !== undefined) {
      const k = plan.kind;
      out.push({ tag: 'g', plan, table: k.table, codec: k.codec, weightOf: k.weightOf });
    }
    if (plan.suppression !== undefined) {
      const s = plan.suppression;
      out.push({ tag: 's', plan, table: s.table, codec: IDENTITY, weightOf: s.weightOf });
    }
  }
  return out;
}

function rowKey(t: Table, key: string): string {
  return t.tag + JSON.stringify([t.plan.rule.name, t.plan.fingerprint, key]);
}

function groupRow(t: Table, key: string): [string, string] | undefined {
  const e = t.table.entryOf(key);
  if (e === undefined) return undefined;
  const value = { s: t.codec.save(e.state), t: e.lastUs, w: e.weight, q: e.seq };
  return [rowKey(t, key), JSON.stringify(value)];
}

function bufferRow(s: CorrelatorState, b: Buffered): [string, string] {
  const p = s.plans[b.m.rule] as RulePlan;
  const { rule: _index, ...m } = b.m;
  return [`b:${b.seq}`, JSON.stringify({ r: p.rule.name, f: p.fingerprint, t: b.tUs, m })];
}

function metaRow(s: CorrelatorState): [string, string] {
  const finite = (n: number): number | null => (Number.isFinite(n) ? n : null);
  return [META, JSON.stringify({ wm: finite(s.wmUs), clock: finite(s.clockSec), seq: s.seq })];
}

/** Every row of the state. */
export function snapshotState(s: CorrelatorState): [string, string][] {
  const rows: [string, string][] = [metaRow(s)];
  for (const b of s.buffer.values()) rows.push(bufferRow(s, b));
  for (const t of tablesOf(s.plans)) {
    for (const [key] of t.table.entries()) rows.push(groupRow(t, key) as [string, string]);
  }
  return rows;
}

/** The rows changed since the last call; everything when the whole state must be rewritten. */
export function takeStateChanges(s: CorrelatorState, durable: boolean): StateChanges {
  if (!durable) return NO_CHANGES;
  const tables = tablesOf(s.plans);
  if (s.replaceAll) {
    s.replaceAll = false;
    s.added.clear();
    s.removed.clear();
    for (const t of tables) t.table.takeDirty();
    return { replace: true, upserts: snapshotState(s), deletes: [] };
  }
  const upserts: [string, string][] = [metaRow(s)];
  const deletes: string[] = [];
  for (const b of s.added.values()) upserts.push(bufferRow(s, b));
  for (const seq of s.removed) deletes.push(`b:${seq}`);
  s.added.clear();
  s.removed.clear();
  for (const t of tables) {
    for (const key of t.table.takeDirty()) {
      const row = groupRow(t, key);
      if (row === undefined) deletes.push(rowKey(t, key));
      else upserts.push(row);
    }
  }
  return { replace: false, upserts, deletes };
}

interface GroupRowValue {
  readonly s: unknown;
  readonly t: number;
  readonly w?: number;
  readonly q?: number;
}

type RestoredRows = Map<
  Table,
  { key: string; state: unknown; lastUs: number; weight: number; seq: number }[]
>;

interface RestoreContext {
  readonly s: CorrelatorState;
  readonly tables: ReadonlyMap<string, Table>;
  readonly ruleIndex: ReadonlyMap<string, number>;
  readonly restored: RestoredRows;
}

// One stored row back into the state; false when it belongs to no loaded rule.
function restoreRow(c: RestoreContext, key: string, v: Record<string, unknown>): boolean {
  const { s } = c;
  if (key === META) {
    s.wmUs = typeof v.wm === 'number' ? v.wm : Number.NEGATIVE_INFINITY;
    s.clockSec = typeof v.clock === 'number' ? v.clock : Number.NEGATIVE_INFINITY;
    s.seq = typeof v.seq === 'number' ? v.seq : 0;
    return true;
  }
  if (key.startsWith('b:')) {
    const index = c.ruleIndex.get(`${String(v.r)}\u0000${String(v.f)}`);
    if (index === undefined) return false;
    const m = { ...(v.m as Omit<StepMatch, 'rule'>), rule: index } as StepMatch;
    s.buffer.insert({ m, tUs: v.t as number, seq: Number(key.slice(2)) });
    return true;
  }
  const [name, fp, group] = JSON.parse(key.slice(1)) as [string, string, string];
  const t = c.tables.get(`${key[0]}${name}\u0000${fp}`);
  if (t === undefined) return false;
  const g = v as unknown as GroupRowValue;
  const state = t.codec.load(g.s);
  const list = c.restored.get(t) ?? [];
  list.push({ key: group, state, lastUs: g.t, weight: g.w ?? t.weightOf(state), seq: g.q ?? 0 });
  c.restored.set(t, list);
  return true;
}

/**
 * Replaces the state by stored rows. Rows of rules that are gone or changed (another
 * fingerprint) and rows that do not parse are dropped, and the next takeChanges rewrites
 * the whole state so that they leave the store too.
 */
export function restoreState(s: CorrelatorState, rows: Iterable<readonly [string, string]>): void {
  const tables = tablesOf(s.plans);
  const c: RestoreContext = {
    s,
    tables: new Map(
      tables.map((t) => [`${t.tag}${t.plan.rule.name}\u0000${t.plan.fingerprint}`, t]),
    ),
    ruleIndex: new Map(s.plans.map((p, i) => [`${p.rule.name}\u0000${p.fingerprint}`, i])),
    restored: new Map(),
  };
  s.buffer.clear();
  s.added.clear();
  s.removed.clear();
  for (const t of tables) t.table.clear();
  let dropped = false;
  for (const [key, value] of rows) {
    try {
      if (!restoreRow(c, key, JSON.parse(value) as Record<string, unknown>)) dropped = true;
    } catch {
      dropped = true;
    }
  }
  for (const [t, list] of c.restored) t.table.restore(list);
  s.replaceAll = dropped;
}
