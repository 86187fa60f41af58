export { ApiError, type ApiErrorBody, sendApiError } from './errors.ts';
export { CSV_HEADER, createExportStream, type ExportFormat, formatCsvAlert } from './export.ts';
export { buildOpenApi } from './openapi.ts';
export { type AlertsApiOptions, type ReloadOutcome, registerAlertsApi } from './plugin.ts';
export { type ApiRule, describeRules } from './rules.ts';
export { createStreamHub, formatSseAlert, type StreamHub, type StreamOptions } from './stream.ts';
