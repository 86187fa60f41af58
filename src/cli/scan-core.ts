import {
  type Alert,
  createEngine,
  type Engine,
  formatAlertJson,
  formatAlertText,
} from '../engine/index.ts';
import type { AuditRecord } from '../events/record.ts';
import { createLineSkipper } from '../fastpath/index.ts';
import { defaultFieldRegistry } from '../fields/index.ts';
import type { Priority } from '../rules/index.ts';
import type { LoadedRule } from '../rules/types.ts';

/** Everything that decides what a scan prints; plain data, so it can go to workers. */
export interface ScanConfig {
  readonly rules?: readonly string[];
  readonly selections: readonly { readonly action: 'enable' | 'disable'; readonly value: string }[];
  readonly format: 'text' | 'json';
  readonly ruleMatching: 'first' | 'all';
  readonly minPriority?: Priority;
  readonly cluster?: string;
  readonly isoTime: boolean;
  readonly fastpath: boolean;
  readonly maxEventSize?: number;
}

/** The per-process half of a scan: compiled engine, prefilter and alert formatter. */
export interface ScanCore {
  readonly engine: Engine;
  /** True when the raw line can be skipped without parsing (no rule can match it). */
  readonly skipLine?: (line: string) => boolean;
  /** Runs one event and returns its alerts, formatted, one string per alert. */
  processRecord(rec: AuditRecord, emit: (line: string, alert: Alert) => void): void;
}

export function createScanCore(rules: readonly LoadedRule[], cfg: ScanConfig): ScanCore {
  const engine = createEngine({
    rules,
    ruleMatching: cfg.ruleMatching,
    ...(cfg.minPriority ? { minPriority: cfg.minPriority } : {}),
    ...(cfg.cluster ? { extraFields: { 'ka.cluster.name': cfg.cluster } } : {}),
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
  const fmt = { isoTime: cfg.isoTime };
  const format =
    cfg.format === 'json'
      ? (a: Alert) => formatAlertJson(a, fmt)
      : (a: Alert) => formatAlertText(a, fmt);
  const cluster = cfg.cluster;
  return {
    engine,
    ...(skipLine ? { skipLine } : {}),
    processRecord(rec, emit) {
      if (cluster !== undefined) setClusterName(rec.obj, cluster);
      for (const a of engine.process(rec)) emit(format(a), a);
    },
  };
}

/** `--cluster`: events without a `cluster_name` annotation get ours, for ka.cluster.name. */
function setClusterName(obj: Record<string, unknown>, name: string): void {
  const ann = obj.annotations;
  if (ann !== null && typeof ann === 'object' && !Array.isArray(ann)) {
    const a = ann as Record<string, unknown>;
    if (typeof a.cluster_name !== 'string') a.cluster_name = name;
  } else {
    obj.annotations = { cluster_name: name };
  }
}
