export type { Alert, AlertCorrelation, AlertFieldValue, MessagePart } from './alert.ts';
export {
  type CorrelationStats,
  type Correlator,
  type CorrelatorOptions,
  createCorrelator,
  DEFAULT_MAX_GROUPS,
  DEFAULT_TOLERANCE_MS,
  type PendingAlert,
  ruleFingerprint,
  type StateChanges,
  type StepMatch,
  timeNsToSeconds,
  timeNsToUs,
} from './correlation/index.ts';
export { compileDispatch, type Dispatch } from './dispatch.ts';
export {
  BODIES_DROPPED_TAG,
  createEngine,
  type Engine,
  type EngineOptions,
  type RuleMatching,
  toMessageParts,
} from './engine.ts';
export {
  createEventExplainer,
  type EventExplanation,
  type ExplainEventOptions,
} from './explain-event.ts';
export { type DecidingCheck, explainRule, type RuleExplanation } from './explain-rule.ts';
export {
  countMatch,
  createMatchStats,
  type MatchStats,
  mergeMatchStats,
  resetMatchStats,
} from './match-stats.ts';
export {
  analyzeRequirements,
  type DataNeed,
  fieldDataNeed,
  type RuleRequirements,
} from './requirements.ts';
