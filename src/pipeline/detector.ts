import {
  type Alert,
  type Correlator,
  createCorrelator,
  createEngine,
  type Engine,
  type MatchStats,
  type RuleMatching,
  timeNsToSeconds,
} from '../engine/index.ts';
import { type AuditRecord, parseTimestampNs } from '../events/index.ts';
import { createLineSkipper, type Header } from '../fastpath/index.ts';
import { defaultFieldRegistry } from '../fields/index.ts';
import type { LoadedRule, Priority, RuleSelector } from '../rules/index.ts';

/** Correlation settings (docs/correlation.md). */
export interface CorrelationConfig {
  /** How much older than the newest event (ms of event time) an event may arrive. */
  readonly toleranceMs?: number;
  /** Groups each stateful rule keeps at most. */
  readonly maxGroups?: number;
  /** Track state changes for the spool (`kaudit serve`). */
  readonly durable?: boolean;
}

/** How to detect: plain data, so that a parallel scan can send it to its worker threads. */
export interface DetectorConfig {
  readonly ruleMatching: RuleMatching;
  readonly minPriority?: Priority;
  /** `--enable`/`--disable` in command-line order, applied when the engine is built. */
  readonly selections?: readonly RuleSelector[];
  /** Alert hostname (Falco: FALCO_HOSTNAME, else the machine's name). */
  readonly hostname: string;
  /** Skip lines that no rule can match before parsing them (the raw-line prefilter). */
  readonly fastpath: boolean;
  /** Keep the event on each alert (stores, the API). */
  readonly keepEvent?: boolean;
  /** Explain each alert (`Alert.explanation`, `kaudit scan --explain`). */
  readonly explain?: boolean;
  readonly correlation?: CorrelationConfig;
}

/** The detection stage: the compiled engine and, when it applies, its raw-line prefilter. */
export interface Detector {
  readonly engine: Engine;
  /** True when the raw line can be skipped without parsing (no rule can match it). */
  readonly skipLine?: (line: string) => boolean;
  /** Runs one event; never throws. Correlated alerts come after the event's own. */
  process(rec: AuditRecord): Alert[];
  /** The correlator of the stateful rules, when there are any and this detector runs it. */
  readonly correlator?: Correlator;
  /** End of input: the alerts the correlator still held (none without one). */
  finish(): Alert[];
  /**
   * Forgets the event time the prefilter has seen (a parallel scan's thread, at the start
   * of each chunk: its lines follow other threads' chunks, not this thread's last one).
   */
  resetClock(): void;
}

/**
 * Whether the detector correlates itself (`local`), or leaves each event's step matches
 * in `engine.steps` for a correlator elsewhere (`steps`: the threads of a parallel scan).
 */
export type CorrelationMode = 'local' | 'steps';

/**
 * The correlator for an engine's stateful rules, with a detector's settings; fired alerts
 * are counted in `stats` (the engine's by default).
 */
export function createDetectorCorrelator(
  engine: Engine,
  cfg: DetectorConfig,
  stats: MatchStats = engine.stats,
): Correlator {
  const c = cfg.correlation ?? {};
  return createCorrelator(engine.statefulRules, {
    hostname: cfg.hostname,
    stats,
    ...(c.toleranceMs !== undefined ? { toleranceMs: c.toleranceMs } : {}),
    ...(c.maxGroups !== undefined ? { maxGroups: c.maxGroups } : {}),
    ...(c.durable ? { durable: true } : {}),
  });
}

function withCorrelator(engine: Engine, correlator: Correlator): (rec: AuditRecord) => Alert[] {
  const steps = engine.steps;
  return (rec) => {
    const alerts = engine.process(rec);
    const fired = correlator.feed(rec.timeNs, steps);
    steps.length = 0;
    if (fired.length === 0) return alerts;
    // Not pushed into the engine's array: an empty one holds no objects yet, and giving it
    // its first (of another shape than the engine's alerts) changed its elements kind
    // under the optimized reading loop, which the JIT threw away and rebuilt each time.
    return alerts.length === 0 ? (fired as Alert[]) : alerts.concat(fired);
  };
}

/**
 * Builds the engine for `rules` and, when every active rule allows it, the prefilter; with
 * stateful rules and `local` mode, the correlator too.
 *
 * @example
 * const detector = createDetector(loaded.rules, { ruleMatching: 'first', hostname: 'h', fastpath: true });
 * const alerts = detector.process(record);
 */
export function createDetector(
  rules: readonly LoadedRule[],
  cfg: DetectorConfig,
  mode: CorrelationMode = 'local',
): Detector {
  const engine = createEngine({
    rules,
    ruleMatching: cfg.ruleMatching,
    hostname: cfg.hostname,
    ...(cfg.minPriority ? { minPriority: cfg.minPriority } : {}),
    ...(cfg.selections ? { selections: cfg.selections } : {}),
    ...(cfg.keepEvent ? { keepEvent: true } : {}),
    ...(cfg.explain ? { explain: true } : {}),
  });
  // The prefilter judges lines by the k8s_audit rules; admission rules need the full
  // parse, so a line that may hold an AdmissionReview is never skipped.
  const auditRules = engine.activeRules.filter((r) => r.source === 'k8s_audit');
  const clock = engine.statefulRules.length > 0 ? createClockKeeper() : undefined;
  const auditSkip = cfg.fastpath
    ? createLineSkipper(
        auditRules.map((r) => r.condition),
        { registry: defaultFieldRegistry, source: 'k8s_audit' },
        clock === undefined ? {} : { keep: clock.keep },
      )
    : undefined;
  const skipLine =
    auditSkip === undefined || auditRules.length === engine.activeRules.length
      ? auditSkip
      : (line: string) => !mayHoldAdmissionReview(line) && auditSkip(line);
  const correlator =
    mode === 'local' && engine.statefulRules.length > 0
      ? createDetectorCorrelator(engine, cfg)
      : undefined;
  return {
    engine,
    ...(skipLine ? { skipLine } : {}),
    ...(correlator ? { correlator } : {}),
    process: correlator ? withCorrelator(engine, correlator) : (rec) => engine.process(rec),
    finish: () => correlator?.flush() ?? [],
    resetClock: () => clock?.reset(),
  };
}

/**
 * Keeps the prefilter from hiding event time from the correlator: a line no rule can match
 * is still parsed when its second is newer than every such line's before it, so the clock
 * (the newest stageTimestamp, in whole seconds) moves at the same events as without the
 * prefilter, at the cost of about one parse per second of event time. Without it, in
 * `kaudit serve`, a quiet stretch of unmatched events held correlation back until the
 * next matching one, and a suppression window stayed open.
 */
function createClockKeeper(): { keep: (h: Header) => boolean; reset: () => void } {
  let newest = Number.NEGATIVE_INFINITY;
  return {
    keep(h) {
      const t = h.stageTimestamp;
      const ns = typeof t === 'string' ? parseTimestampNs(t) : undefined;
      // Not a time the decoder reads either: the full parse decides (and reports it).
      if (ns === undefined) return true;
      const sec = timeNsToSeconds(ns);
      if (sec <= newest) return false;
      newest = sec;
      return true;
    },
    reset() {
      newest = Number.NEGATIVE_INFINITY;
    },
  };
}

/**
 * Whether a raw line may hold an AdmissionReview: it names the kind, or has a \u escape
 * that could spell it.
 */
function mayHoldAdmissionReview(line: string): boolean {
  return line.includes('AdmissionReview') || line.includes('\\u');
}
