import { type Alert, createEngine, type Engine, type RuleMatching } from '../engine/index.ts';
import type { AuditRecord } from '../events/index.ts';
import { createLineSkipper } from '../fastpath/index.ts';
import { defaultFieldRegistry } from '../fields/index.ts';
import type { LoadedRule, Priority, RuleSelector } from '../rules/index.ts';

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
}

/** The detection stage: the compiled engine and, when it applies, its raw-line prefilter. */
export interface Detector {
  readonly engine: Engine;
  /** True when the raw line can be skipped without parsing (no rule can match it). */
  readonly skipLine?: (line: string) => boolean;
  /** Runs one event; never throws. */
  process(rec: AuditRecord): Alert[];
}

/**
 * Builds the engine for `rules` and, when every active rule allows it, the prefilter.
 *
 * @example
 * const detector = createDetector(loaded.rules, { ruleMatching: 'first', hostname: 'h', fastpath: true });
 * const alerts = detector.process(record);
 */
export function createDetector(rules: readonly LoadedRule[], cfg: DetectorConfig): Detector {
  const engine = createEngine({
    rules,
    ruleMatching: cfg.ruleMatching,
    hostname: cfg.hostname,
    ...(cfg.minPriority ? { minPriority: cfg.minPriority } : {}),
    ...(cfg.selections ? { selections: cfg.selections } : {}),
    ...(cfg.keepEvent ? { keepEvent: true } : {}),
    ...(cfg.explain ? { explain: true } : {}),
  });
  // Admission rules need the full parse: only rule sets of k8s_audit rules prefilter.
  const onlyAudit = engine.activeRules.every((r) => r.source === 'k8s_audit');
  const skipLine =
    cfg.fastpath && onlyAudit
      ? createLineSkipper(
          engine.activeRules.map((r) => r.condition),
          { registry: defaultFieldRegistry, source: 'k8s_audit' },
        )
      : undefined;
  return {
    engine,
    ...(skipLine ? { skipLine } : {}),
    process: (rec) => engine.process(rec),
  };
}
