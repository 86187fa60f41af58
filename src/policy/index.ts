export {
  evaluatePolicy,
  explainRuleMiss,
  matchResourcePattern,
  matchUrlPattern,
  type PolicyDecision,
  type PolicyRequest,
  type RuleMiss,
} from './checker.ts';
export { ruleCovers } from './cover.ts';
export {
  type CoverageGap,
  type CoverageInput,
  checkCoverage,
  type RuleCoverage,
} from './coverage.ts';
export { requestFromEvent } from './event-request.ts';
export {
  formatCoverage,
  formatDecision,
  formatFindings,
  formatReadMessages,
  formatSimulation,
  readResultToJSON,
} from './format.ts';
export {
  type GeneratedPolicy,
  type GeneratedRule,
  generatePolicy,
  PROFILES,
  type Profile,
} from './generate.ts';
export { countFindings, LINT_RULES, lintPolicy } from './lint.ts';
export type { LintContext, LintFinding, LintRule, Severity } from './lint-rules/finding.ts';
export {
  LENIENT_FALLBACK_WARNING,
  type PolicyMessage,
  type PolicyMessageCode,
  type ReadPolicyResult,
  readPolicy,
  readPolicyFile,
} from './read.ts';
export {
  countRejected,
  createLogReadStats,
  type LoggedEvent,
  type LogReadStats,
  readAuditLogs,
} from './read-log.ts';
export { relevelEvent } from './relevel.ts';
export { renderPolicyYaml } from './render-policy.ts';
export {
  type SimulateOptions,
  type SimulationReport,
  simulatePolicy,
  type Tally,
} from './simulate.ts';
export * from './types.ts';
export {
  type FieldError,
  type FieldErrorType,
  formatFieldError,
  validatePolicy,
} from './validate.ts';
