export { checkEventObject, type EventProblem } from './check-event.ts';
export {
  createDecoder,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_EVENT_SIZE,
  type Decoder,
  type DecoderOptions,
} from './decode.ts';
export {
  INPUT_FORMAT_NAMES,
  INPUT_FORMATS,
  type InputFormat,
  type InputFormatChoice,
  parseInputFormat,
} from './formats.ts';
export { convertGkeLogEntry, parseGkeResourceName } from './gke.ts';
export { eventIdentity } from './identity.ts';
export type { AuditRecord, EventSource } from './record.ts';
export {
  createDecodeStats,
  createRejectFn,
  type DecodeStats,
  mergeDecodeStats,
  NOTICE_REASONS,
  type NoticeReason,
  REJECT_REASONS,
  type RejectFn,
  type RejectInfo,
  type RejectReason,
  type ReportReason,
  resetDecodeStats,
} from './reject.ts';
export { parseTimestampNs } from './timestamp.ts';
