import { evaluatePolicy } from './checker.ts';
import { requestFromEvent, resourceLabel } from './event-request.ts';
import type { LoggedEvent } from './read-log.ts';
import { relevelEvent } from './relevel.ts';
import { LEVELS, type Level, levelRank, type Policy } from './types.ts';

/** A count of events and their UTF-8 bytes. */
export interface Tally {
  events: number;
  bytes: number;
}

/** Volume attributed to one policy rule (-1: no rule matched). */
export interface RuleVolume {
  readonly ruleIndex: number;
  readonly level: Level;
  readonly before: Tally;
  /** Events still written under the policy, and their bytes. */
  readonly after: Tally;
  readonly notJudgeable: Tally;
}

/** One of the largest contributors (a user or a resource). */
export interface Contributor {
  readonly key: string;
  readonly before: Tally;
  readonly after: Tally;
}

/** The outcome of re-levelling a log under a policy. */
export interface SimulationReport {
  /** By the level the events were logged at. */
  readonly before: { readonly total: Tally; readonly byLevel: Record<Level, Tally> };
  /** By the level the policy gives them; None and omitted stages take 0 bytes. */
  readonly after: { readonly total: Tally; readonly byLevel: Record<Level, Tally> };
  /** Events kept at the new level but whose stage the policy omits (dropped). */
  readonly omittedStage: Tally;
  /** Logged at less detail than the policy asks: the new size cannot be known (bytes as logged). */
  readonly notJudgeable: Tally;
  readonly byRule: readonly RuleVolume[];
  readonly topUsers: readonly Contributor[];
  readonly topResources: readonly Contributor[];
  /** First and last stageTimestamp (ISO text), and the span in seconds. */
  readonly firstTime?: string;
  readonly lastTime?: string;
  readonly spanSeconds: number;
  /** 86400 / span: multiply a total by it for a per-day figure; undefined for a zero span. */
  readonly perDayFactor?: number;
}

function tally(): Tally {
  return { events: 0, bytes: 0 };
}

function byLevel(): Record<Level, Tally> {
  return { None: tally(), Metadata: tally(), Request: tally(), RequestResponse: tally() };
}

function add(t: Tally, bytes: number): void {
  t.events++;
  t.bytes += bytes;
}

interface Acc {
  before: Tally;
  after: Tally;
}

function bump(map: Map<string, Acc>, key: string, before: number, after: number | undefined): void {
  let a = map.get(key);
  if (a === undefined) map.set(key, (a = { before: tally(), after: tally() }));
  add(a.before, before);
  if (after !== undefined) add(a.after, after);
}

function top(map: Map<string, Acc>, n: number): Contributor[] {
  return [...map]
    .map(([key, a]) => ({ key, before: a.before, after: a.after }))
    .sort(
      (x, y) =>
        y.after.bytes - x.after.bytes ||
        y.before.bytes - x.before.bytes ||
        (x.key < y.key ? -1 : 1),
    )
    .slice(0, n);
}

/** Options of simulatePolicy. */
export interface SimulateOptions {
  /** How many top users/resources to keep (default 10). */
  readonly top?: number;
}

/** Running totals of a simulation. */
interface SimulationState {
  readonly before: { total: Tally; byLevel: Record<Level, Tally> };
  readonly after: { total: Tally; byLevel: Record<Level, Tally> };
  readonly omittedStage: Tally;
  readonly notJudgeable: Tally;
  readonly rules: Map<number, RuleVolume>;
  readonly users: Map<string, Acc>;
  readonly resources: Map<string, Acc>;
  first: number | undefined;
  last: number | undefined;
}

function ruleVolume(state: SimulationState, ruleIndex: number, level: Level): RuleVolume {
  let rv = state.rules.get(ruleIndex);
  if (rv === undefined) {
    rv = { ruleIndex, level, before: tally(), after: tally(), notJudgeable: tally() };
    state.rules.set(ruleIndex, rv);
  }
  return rv;
}

/**
 * Bytes the event takes under the decision: 0 when dropped, undefined when it cannot be
 * judged (the policy wants more than was logged) or is dropped by its stage.
 */
function relevelBytes(
  state: SimulationState,
  rv: RuleVolume,
  ev: LoggedEvent,
  logged: string,
  d: ReturnType<typeof evaluatePolicy>,
): { bytes: number | undefined; written: boolean } {
  const { obj, bytes } = ev;
  if (levelRank(d.level) > levelRank(logged)) {
    add(state.notJudgeable, bytes);
    add(rv.notJudgeable, bytes);
    return { bytes: undefined, written: false };
  }
  if (d.level === 'None') {
    add(state.after.byLevel.None, 0);
    return { bytes: 0, written: false };
  }
  if (d.omitStages.includes(String(obj.stage))) {
    add(state.omittedStage, bytes);
    return { bytes: 0, written: false };
  }
  const r = relevelEvent(obj, d.level, d.omitManagedFields);
  const newBytes = r.changed ? Buffer.byteLength(JSON.stringify(r.obj)) : bytes;
  add(state.after.byLevel[d.level], newBytes);
  add(state.after.total, newBytes);
  return { bytes: newBytes, written: true };
}

function accountEvent(state: SimulationState, policy: Policy, ev: LoggedEvent): void {
  const { obj, bytes } = ev;
  const logged = typeof obj.level === 'string' ? obj.level : '';
  add(state.before.total, bytes);
  if (levelRank(logged) >= 0) add(state.before.byLevel[logged as Level], bytes);
  const t = typeof obj.stageTimestamp === 'string' ? Date.parse(obj.stageTimestamp) : Number.NaN;
  if (!Number.isNaN(t)) {
    state.first = state.first === undefined || t < state.first ? t : state.first;
    state.last = state.last === undefined || t > state.last ? t : state.last;
  }
  const req = requestFromEvent(obj);
  const d = evaluatePolicy(policy, req);
  const rv = ruleVolume(state, d.ruleIndex, d.level);
  add(rv.before, bytes);
  const after = relevelBytes(state, rv, ev, logged, d);
  if (after.written) add(rv.after, after.bytes ?? 0);
  const kept = after.written ? after.bytes : undefined;
  bump(state.users, req.user?.name ?? '(no user)', bytes, kept);
  bump(state.resources, resourceLabel(req), bytes, kept);
}

/**
 * Re-levels every logged event under `policy` and totals events and bytes per level and
 * per policy rule, before and after. The per-event path never throws.
 */
export async function simulatePolicy(
  policy: Policy,
  events: AsyncIterable<LoggedEvent> | Iterable<LoggedEvent>,
  options: SimulateOptions = {},
): Promise<SimulationReport> {
  const state: SimulationState = {
    before: { total: tally(), byLevel: byLevel() },
    after: { total: tally(), byLevel: byLevel() },
    omittedStage: tally(),
    notJudgeable: tally(),
    rules: new Map(),
    users: new Map(),
    resources: new Map(),
    first: undefined,
    last: undefined,
  };
  for await (const ev of events) accountEvent(state, policy, ev);
  const { first, last } = state;
  const spanSeconds = first === undefined || last === undefined ? 0 : (last - first) / 1000;
  return {
    before: state.before,
    after: state.after,
    omittedStage: state.omittedStage,
    notJudgeable: state.notJudgeable,
    byRule: [...state.rules.values()].sort((a, b) => a.ruleIndex - b.ruleIndex),
    topUsers: top(state.users, options.top ?? 10),
    topResources: top(state.resources, options.top ?? 10),
    ...(first === undefined ? {} : { firstTime: new Date(first).toISOString() }),
    ...(last === undefined ? {} : { lastTime: new Date(last).toISOString() }),
    spanSeconds,
    ...(spanSeconds > 0 ? { perDayFactor: 86400 / spanSeconds } : {}),
  };
}

/** The levels in report order. */
export const REPORT_LEVELS: readonly Level[] = LEVELS;
