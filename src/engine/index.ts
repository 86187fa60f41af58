export type { Alert, AlertFieldValue } from './alert.ts';
export { compileDispatch, type Dispatch } from './dispatch.ts';
export { createEngine, type Engine, type EngineOptions, type RuleMatching } from './engine.ts';
export { type FormatOptions, formatAlertJson, formatAlertText } from './format.ts';
export {
  analyzeRequirements,
  type DataNeed,
  fieldDataNeed,
  type RuleRequirements,
} from './requirements.ts';
export { countMatch, createMatchStats, formatSummary, type MatchStats } from './summary.ts';
export { formatIsoTimeNs, formatLineTimeNs } from './time-format.ts';
