/**
 * kaudit as a library: load Falco-compatible rules, build an engine, decode audit
 * events, run them through detection and format the alerts as Falco does.
 *
 * The stages, in the order an event meets them (see docs/architecture.md):
 * sources (lines with their origin) → events (decode) → engine (detect) → outputs.
 * `runPipeline` wires them; every piece can also be used alone.
 *
 * @example
 * import { createDecoder, createEngine, formatAlertJson, loadRuleset } from 'kaudit';
 *
 * const rules = await loadRuleset({ rules: ['k8s_audit_rules.yaml'] });
 * if (!rules.ok) throw new Error(formatLoadResult(rules, { verbose: false }));
 * const engine = createEngine({ rules: rules.rules, hostname: 'my-host' });
 * const decoder = createDecoder();
 * for (const rec of decoder.decodeLine(line, 'audit.log', 1)) {
 *   for (const alert of engine.process(rec)) console.log(formatAlertJson(alert));
 * }
 *
 * @module
 */

export type {
  Alert,
  AlertFieldValue,
  Engine,
  EngineOptions,
  RuleMatching,
} from './engine/index.ts';
export { createEngine } from './engine/index.ts';
export type {
  AuditRecord,
  Decoder,
  DecoderOptions,
  DecodeStats,
  EventSource,
  RejectInfo,
  RejectReason,
} from './events/index.ts';
export { createDecoder } from './events/index.ts';
export type { Expr } from './lang/index.ts';
export { compileCondition, parseCondition } from './lang/index.ts';
export type {
  AlertFilterSpec,
  AlertFormatOptions,
  FormatOptions,
  Output,
  OutputStats,
} from './outputs/index.ts';
export {
  createAlertFormatter,
  createStreamOutput,
  formatAlertJson,
  formatAlertText,
} from './outputs/index.ts';
export type { Detector, DetectorConfig, PipelineOptions } from './pipeline/index.ts';
export { createDetector, runPipeline } from './pipeline/index.ts';
export type {
  LoadedRule,
  LoadMessage,
  LoadResult,
  Priority,
  RuleSelector,
  RulesetOptions,
  RulesSource,
} from './rules/index.ts';
export {
  formatLoadResult,
  loadRules,
  loadRuleset,
  PRIORITIES,
  parsePriority,
  selectRules,
} from './rules/index.ts';
export type { FileSourceOptions, Source, SourceContext } from './sources/index.ts';
export { createFileSource } from './sources/index.ts';
