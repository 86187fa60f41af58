export { readCachedLoad, rulesCacheDir, rulesCacheKey, writeCachedLoad } from './cache.ts';
export {
  CORRELATION_KINDS,
  CORRELATION_LIMITS,
  type CorrelationKind,
  type CorrelationSpec,
  type CorrelationStep,
  formatDuration,
  type KeyTerm,
  parseDuration,
  type SuppressSpec,
} from './correlation.ts';
export { readRulesPaths } from './files.ts';
export { type LoadRulesOptions, loadRules, RUN_SOURCES } from './load.ts';
export {
  PRIORITIES,
  type Priority,
  parsePriority,
  priorityRank,
  prioritySummaryLabel,
} from './priority.ts';
export {
  compileQueryCondition,
  QUERY_FILE,
  type QueryCondition,
  type QueryConditionResult,
} from './query-condition.ts';
export { formatLoadResult, loadResultToJSON } from './result.ts';
export { DEFAULT_RULES_PATH, loadRuleset, type RulesetOptions } from './ruleset.ts';
export { type RuleSelector, selectRules } from './select.ts';
export { createSourceFile, positionAt, type SourceFile, snippetAt } from './source-file.ts';
export type {
  LoadErrorCode,
  LoadedRule,
  LoadMessage,
  LoadResult,
  LoadWarningCode,
  Location,
  Position,
  RuleChange,
  RulesSource,
} from './types.ts';
export { ENGINE_VERSION, type EventProvider, PLUGIN_VERSIONS, pluginsFor } from './versions.ts';
