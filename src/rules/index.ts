export { readRulesPaths } from './files.ts';
export { type LoadRulesOptions, loadRules, RUN_SOURCES } from './load.ts';
export {
  PRIORITIES,
  type Priority,
  parsePriority,
  priorityRank,
  prioritySummaryLabel,
} from './priority.ts';
export { formatLoadResult, loadResultToJSON } from './result.ts';
export { applyRuleSelection, type RuleSelector } from './select.ts';
export type {
  LoadErrorCode,
  LoadedRule,
  LoadMessage,
  LoadResult,
  LoadWarningCode,
  Location,
  Position,
  RulesSource,
} from './types.ts';
export { ENGINE_VERSION, PLUGIN_VERSIONS } from './versions.ts';
