export type { Decoder, DecoderOptions, DecodeStats, RejectInfo, RejectReason } from './decode.ts';
export {
  createDecoder,
  createDecodeStats,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_EVENT_SIZE,
  parseTimestampNs,
  REJECT_REASONS,
} from './decode.ts';
export { convertGkeLogEntry, parseGkeResourceName } from './gke.ts';
export type { AuditRecord, EventSource } from './record.ts';
