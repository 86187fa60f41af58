import type { FieldRegistry } from '../../fields/index.ts';
import { defaultFieldRegistry } from '../../fields/index.ts';
import { formatDuration } from '../../rules/correlation.ts';
import type { LoadedRule } from '../../rules/types.ts';
import type { Alert } from '../alert.ts';
import { countMatch, type MatchStats } from '../match-stats.ts';
import { createDistinctState } from './distinct.ts';
import { ruleFingerprint } from './fingerprint.ts';
import type { TableLimits } from './group-table.ts';
import type { Fired, KindFactory } from './kind.ts';
import { compileCorrelatedOutput } from './output.ts';
import type { RulePlan, StateChanges } from './plan.ts';
import { type Buffered, ReorderBuffer } from './reorder.ts';
import { createSequenceState } from './sequence.ts';
import { type CorrelatorState, restoreState, snapshotState, takeStateChanges } from './state.ts';
import type { StepMatch } from './step-match.ts';
import { createSuppression } from './suppression.ts';
import { createThresholdState } from './threshold.ts';
import { timeNsToSeconds, timeNsToUs } from './time.ts';
import { createUnorderedState } from './unordered.ts';

/** Default out-of-order tolerance: the apiserver's webhook batches wait up to 30 s. */
export const DEFAULT_TOLERANCE_MS = 30_000;
/** Default groups per rule (each rule may also remember 10 events per group on average). */
export const DEFAULT_MAX_GROUPS = 20_000;
/** Matches the reorder buffer holds at most; beyond, the oldest is correlated early. */
export const DEFAULT_MAX_BUFFERED = 50_000;

export interface CorrelatorOptions {
  readonly registry?: FieldRegistry;
  readonly hostname?: string;
  /** How much older than the newest event (ms of event time) an event may arrive and still be correlated in order. */
  readonly toleranceMs?: number;
  /** Groups kept per rule; the least recently updated is evicted beyond. */
  readonly maxGroups?: number;
  readonly maxBuffered?: number;
  /** Fired alerts are counted here (Falco's per-rule summary). */
  readonly stats?: MatchStats;
  /** Record what changed, for takeChanges (`kaudit serve` keeps the state in the spool). */
  readonly durable?: boolean;
}

/** Counters of a correlator (gauges: groups, buffered; the rest count since creation). */
export interface CorrelationStats {
  readonly groups: number;
  readonly buffered: number;
  readonly evicted: number;
  /** Matches that arrived later than the tolerance: correlated at the watermark. */
  readonly late: number;
  /** Matches correlated before their time because the reorder buffer was full. */
  readonly forced: number;
  readonly suppressed: number;
}

/**
 * The state of every stateful rule (correlated, or with `suppress`), fed with the step
 * matches of each event in input order. Matches wait in a reorder buffer until event time
 * (the clock: the newest stageTimestamp seen, in whole seconds) has moved `toleranceMs`
 * past them, then reach their rule in event-time order; a match older than that on
 * arrival is late: correlated at once, at the watermark, and counted.
 */
export interface Correlator {
  /** One event's time and its matches (maybe none); returns the alerts that fire now. */
  feed(timeNs: string, matches: readonly StepMatch[]): readonly Alert[];
  /** End of input: correlates what waits and closes every suppression window. */
  flush(): Alert[];
  readonly stats: CorrelationStats;
  /** The rows changed since the last call (durable only). */
  takeChanges(): StateChanges;
  /** Every row of the state. */
  snapshot(): [string, string][];
  /**
   * Replaces the state by stored rows; rows of rules no longer loaded (or changed) are
   * dropped. With `rewrite` (or when rows were dropped), the next takeChanges rewrites
   * the whole stored state.
   */
  restore(rows: Iterable<readonly [string, string]>, rewrite?: boolean): void;
}

const KINDS: Readonly<Record<string, KindFactory>> = {
  threshold: createThresholdState,
  distinct: createDistinctState,
  sequence: createSequenceState,
  unordered: createUnorderedState,
};

const EMPTY: readonly Alert[] = Object.freeze([]);

function planRule(rule: LoadedRule, opts: CorrelatorOptions, limits: TableLimits): RulePlan {
  const durable = opts.durable === true;
  const spec = rule.correlation;
  const factory = spec === undefined ? undefined : KINDS[spec.kind];
  return {
    rule,
    fingerprint: ruleFingerprint(rule),
    output: compileCorrelatedOutput(rule, opts.registry ?? defaultFieldRegistry),
    ...(spec && factory ? { kind: factory(spec, limits, durable) } : {}),
    ...(rule.suppress ? { suppression: createSuppression(rule.suppress, limits, durable) } : {}),
    labels: spec ? [...spec.by, ...(spec.steps[0]?.by ?? [])].map((t) => t.label) : [],
    window: spec ? formatDuration(spec.windowMs) : '',
  };
}

function groupKey(values: readonly string[], cluster: string | undefined): string {
  return cluster === undefined ? JSON.stringify(values) : JSON.stringify([cluster, values]);
}

/**
 * Creates the correlator of `rules` (the engine's stateful rules, in the engine's order:
 * StepMatch.rule indexes them).
 *
 * @example
 * const correlator = createCorrelator(engine.statefulRules, { hostname: 'h' });
 * const alerts = correlator.feed(rec.timeNs, engine.takeSteps());
 */
export function createCorrelator(
  rules: readonly LoadedRule[],
  opts: CorrelatorOptions = {},
): Correlator {
  const maxGroups = opts.maxGroups ?? DEFAULT_MAX_GROUPS;
  const limits: TableLimits = { maxGroups, maxWeight: maxGroups * 10 };
  const plans = rules.map((r) => planRule(r, opts, limits));
  const toleranceUs = (opts.toleranceMs ?? DEFAULT_TOLERANCE_MS) * 1000;
  const maxBuffered = opts.maxBuffered ?? DEFAULT_MAX_BUFFERED;
  const hostname = opts.hostname ?? '';
  const durable = opts.durable === true;
  const state: CorrelatorState = {
    plans,
    buffer: new ReorderBuffer(),
    wmUs: Number.NEGATIVE_INFINITY,
    clockSec: Number.NEGATIVE_INFINITY,
    seq: 0,
    added: new Map(),
    removed: new Set(),
    replaceAll: false,
  };
  let late = 0;
  let forced = 0;

  const compose = (
    p: RulePlan,
    m: StepMatch,
    fired: Fired | undefined,
    values: readonly string[],
  ): Alert => {
    const r = p.rule;
    const spec = r.correlation;
    const group: Record<string, string> = {};
    for (let i = 0; i < p.labels.length; i++) group[p.labels[i] as string] = values[i] ?? '';
    const cv =
      fired === undefined || spec === undefined
        ? undefined
        : {
            count: fired.count,
            windowMs: spec.windowMs,
            window: p.window,
            group,
            auditIds: fired.auditIds,
            ...(fired.values === undefined ? {} : { values: fired.values }),
          };
    const { message, outputFields, fieldKinds } = p.output.finish(m.alert, cv);
    const a = m.alert;
    return {
      rule: r.name,
      priority: r.priority,
      source: r.source,
      tags: r.tags,
      timeNs: m.timeNs,
      message,
      outputFields,
      ...(fieldKinds === undefined ? {} : { fieldKinds }),
      hostname,
      ...(a.eventId !== undefined ? { eventId: a.eventId } : {}),
      ...(a.eventText !== undefined ? { eventText: a.eventText } : {}),
      ...(a.origin !== undefined ? { origin: a.origin } : {}),
      ...(a.line !== undefined ? { line: a.line } : {}),
      ...(cv === undefined
        ? {}
        : {
            correlation: {
              count: cv.count,
              windowMs: cv.windowMs,
              group: cv.group,
              auditIds: cv.auditIds,
            },
          }),
    };
  };

  const deliver = (p: RulePlan, m: StepMatch, alert: Alert, tUs: number, out: Alert[]): void => {
    if (p.suppression === undefined) {
      out.push(alert);
      return;
    }
    const values = m.suppressKey ?? [];
    const key = groupKey(values, m.cluster);
    for (const a of p.suppression.offer(key, values, alert, tUs, m.auditId)) out.push(a);
  };

  const process = (b: Buffered, out: Alert[]): void => {
    const { m, tUs } = b;
    const p = plans[m.rule];
    if (p === undefined) return;
    const kind = p.kind;
    if (kind === undefined) {
      deliver(p, m, compose(p, m, undefined, []), tUs, out);
      return;
    }
    for (const values of m.keys) {
      const key = groupKey(values, m.cluster);
      const offered = m.values ?? [undefined];
      for (const value of offered) {
        const fired = kind.offer({
          key,
          step: m.step,
          tUs,
          auditId: m.auditId,
          ...(value === undefined ? {} : { value }),
        });
        if (fired !== undefined) deliver(p, m, compose(p, m, fired, values), tUs, out);
      }
    }
  };

  const release = (b: Buffered, out: Alert[]): void => {
    if (durable && !state.added.delete(b.seq)) state.removed.add(b.seq);
    process(b, out);
  };

  const advance = (wmUs: number, out: Alert[]): void => {
    if (wmUs <= state.wmUs) return;
    state.wmUs = wmUs;
    for (let b = state.buffer.shiftUpTo(wmUs); b !== undefined; b = state.buffer.shiftUpTo(wmUs)) {
      release(b, out);
    }
    for (const p of plans) {
      p.kind?.expire(wmUs);
      p.suppression?.close(wmUs, out);
    }
  };

  const offer = (m: StepMatch, out: Alert[]): void => {
    const tUs = timeNsToUs(m.timeNs);
    if (tUs < state.wmUs) {
      late++;
      process({ m, tUs: state.wmUs, seq: state.seq++ }, out);
      return;
    }
    const b: Buffered = { m, tUs, seq: state.seq++ };
    state.buffer.insert(b);
    if (durable) state.added.set(b.seq, b);
    if (state.buffer.length > maxBuffered) {
      const first = state.buffer.shift() as Buffered;
      forced++;
      if (first.tUs > state.wmUs) state.wmUs = first.tUs;
      release(first, out);
    }
  };

  const counted = (out: Alert[]): readonly Alert[] => {
    if (out.length === 0) return EMPTY;
    if (opts.stats !== undefined) for (const a of out) countMatch(opts.stats, a.rule, a.priority);
    return out;
  };

  // The first ns of the second after the clock, as text: most events have no match and
  // fall in a second already seen, which one string comparison tells (same length, so
  // text order is number order) without parsing the time of every event.
  let nextSecond = '';
  return {
    feed(timeNs, matches) {
      if (matches.length === 0 && timeNs.length === nextSecond.length && timeNs < nextSecond) {
        return EMPTY;
      }
      const sec = timeNsToSeconds(timeNs);
      if (matches.length === 0 && sec <= state.clockSec) return EMPTY;
      const out: Alert[] = [];
      for (let i = 0; i < matches.length; i++) offer(matches[i] as StepMatch, out);
      if (sec > state.clockSec) {
        state.clockSec = sec;
        nextSecond = `${sec + 1}000000000`;
        advance(sec * 1e6 - toleranceUs, out);
      }
      return counted(out);
    },
    flush() {
      const out: Alert[] = [];
      for (let b = state.buffer.shift(); b !== undefined; b = state.buffer.shift()) {
        if (b.tUs > state.wmUs) state.wmUs = b.tUs;
        release(b, out);
      }
      for (const p of plans) p.suppression?.closeAll(out);
      return [...counted(out)];
    },
    get stats() {
      let groups = 0;
      let evicted = 0;
      let suppressed = 0;
      for (const p of plans) {
        groups += (p.kind?.table.size ?? 0) + (p.suppression?.table.size ?? 0);
        evicted += (p.kind?.table.evictions ?? 0) + (p.suppression?.table.evictions ?? 0);
        suppressed += p.suppression?.suppressed ?? 0;
      }
      return { groups, buffered: state.buffer.length, evicted, late, forced, suppressed };
    },
    takeChanges: () => takeStateChanges(state, durable),
    snapshot: () => snapshotState(state),
    restore(rows, rewrite = false) {
      restoreState(state, rows);
      nextSecond = '';
      if (rewrite) state.replaceAll = true;
    },
  };
}
