export {
  type CorrelationStats,
  type Correlator,
  type CorrelatorOptions,
  createCorrelator,
  DEFAULT_MAX_GROUPS,
  DEFAULT_TOLERANCE_MS,
} from './correlator.ts';
export { ruleFingerprint } from './fingerprint.ts';
export { createStepMatcher, type StepMatcher } from './matcher.ts';
export type { StateChanges } from './plan.ts';
export type { PendingAlert, StepMatch } from './step-match.ts';
export { timeNsToSeconds, timeNsToUs } from './time.ts';
