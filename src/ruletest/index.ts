export {
  type CoverageReport,
  computeCoverage,
  formatCoverage,
  type RuleCoverage,
} from './coverage.ts';
export {
  type CountFailure,
  checkExpectations,
  type Failure,
  type FieldFailure,
} from './expectations.ts';
export { findTests, type TestsSelection } from './find-tests.ts';
export { formatJUnit, type JUnitOptions } from './junit.ts';
export type {
  CaseEvents,
  Expectation,
  ExpectedValue,
  InlineEvent,
  RulesLoad,
  TestCase,
  TestErrorCode,
  TestFile,
  TestMessage,
} from './model.ts';
export { type MutantResult, type MutationReport, runMutation } from './mutation.ts';
export { formatMutation, mutationScore } from './mutation-report.ts';
export { createRulesLoader, type RulesLoader } from './prepare.ts';
export {
  type ReadTestsOptions,
  readTestsFile,
  siblingRulesFile,
  TESTS_SUFFIX,
} from './read-tests.ts';
export {
  countResults,
  formatCaseResult,
  formatTestMessage,
  formatTestRun,
  type TestCounts,
} from './report-text.ts';
export {
  type CaseResult,
  createEngineCache,
  type FileResult,
  type Miss,
  type PreparedCase,
  prepareCase,
  runPreparedCase,
  runTests,
} from './run-tests.ts';
