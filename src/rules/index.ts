export { ENGINE_VERSION, PLUGIN_VERSIONS } from './versions.ts';
export { readRulesPaths } from './files.ts';
export { type LoadRulesOptions, loadRules, RUN_SOURCES } from './load.ts';
export { formatLoadResult, loadResultToJSON } from './result.ts';
export { applyRuleSelection, type RuleSelector } from './select.ts';
export type {
  LoadedRule,
  LoadErrorCode,
  LoadMessage,
  LoadResult,
  LoadWarningCode,
  Location,
  Position,
  RulesSource,
} from './types.ts';
