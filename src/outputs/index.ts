export { type AlertFilterSpec, compileAlertFilter } from './alert-filter.ts';
export {
  type AlertFormatOptions,
  type AlertFormatter,
  createAlertFormatter,
} from './alert-format.ts';
export { type FormatOptions, formatAlertJson, formatAlertText } from './format.ts';
export {
  createLineWriter,
  type LineWriter,
  OutputWriteError,
  waitForDrain,
} from './line-writer.ts';
export {
  createOutputStats,
  type Output,
  type OutputStats,
  type RenderChannel,
} from './output.ts';
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
