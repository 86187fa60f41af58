export { type AlertFilterSpec, compileAlertFilter } from './alert-filter.ts';
export {
  type AlertFormatOptions,
  type AlertFormatter,
  createAlertFormatter,
} from './alert-format.ts';
export { type BackoffOptions, backoffDelay } from './backoff.ts';
export { createOutput, type JsonIncludeOptions, type OutputContext } from './create-output.ts';
export {
  createDeliveryQueue,
  type DeliveryQueue,
  type DeliveryQueueOptions,
  type QueuedItem,
  type Settlement,
} from './delivery-queue.ts';
export {
  formatDecidingCheck,
  formatEventExplanationText,
  formatEventVerdict,
  formatExplainedField,
  formatExplainedTree,
  formatExplanationText,
  formatVerdict,
} from './explain-text.ts';
export { createFileOutput, type FileOutputOptions } from './file-output.ts';
export { type FormatOptions, formatAlertJson, formatAlertText } from './format.ts';
export { createHttpOutput, type HttpOutputOptions, httpOutputName } from './http-output.ts';
export type { HttpTlsOptions } from './http-post.ts';
export {
  createLineWriter,
  type LineWriter,
  OutputWriteError,
  waitForDrain,
} from './line-writer.ts';
export {
  createMessageReporter,
  type MessageReporter,
  sanitizeMessage,
} from './message-reporter.ts';
export {
  createOutputStats,
  type Output,
  type OutputHooks,
  type OutputStats,
  type RenderChannel,
} from './output.ts';
export { type OutputConfigCode, OutputConfigError } from './output-errors.ts';
export {
  buildOutputSpec,
  type OutputSpec,
  type OutputType,
  parseOutputSpec,
} from './output-spec.ts';
export {
  OUTPUT_OPTION_NAMES,
  type OutputOptions,
  parseOutputOptions,
} from './output-spec-options.ts';
export { createProgramOutput, type ProgramOutputOptions } from './program-output.ts';
export {
  createRecordPrinter,
  type PrintSpec,
  type RecordPrinter,
  TemplateError,
} from './record-printer.ts';
export { formatRunStats, type RunStats } from './run-stats.ts';
export { createStreamOutput, type StreamOutputOptions } from './stream-output.ts';
export { formatSummary } from './summary.ts';
export { csvCell, escapeCell, formatCsvRow, formatTable } from './table.ts';
export { formatIsoTimeNs, formatLineTimeNs } from './time-format.ts';
