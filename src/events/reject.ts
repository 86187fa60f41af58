import { createFormatCounts, type FormatCounts, INPUT_FORMATS } from './formats.ts';

/** Why a line, payload or event was not turned into a record (`wrong_format`: another
 * shape than the one `--input-format` forces). */
export type RejectReason =
  | 'invalid_json'
  | 'not_audit_event'
  | 'event_too_large'
  | 'line_too_long'
  | 'too_deep'
  | 'wrong_type'
  | 'missing_timestamp'
  | 'bad_timestamp'
  | 'wrong_format';

/** Every reason, in a stable order (for summaries and zeroed counters). */
export const REJECT_REASONS: readonly RejectReason[] = [
  'invalid_json',
  'not_audit_event',
  'event_too_large',
  'line_too_long',
  'too_deep',
  'wrong_type',
  'missing_timestamp',
  'bad_timestamp',
  'wrong_format',
];

/**
 * Why an event was kept but changed on its way in: counted and reported (once per
 * input) like a reject, but the event is still judged.
 * - `utf8_replaced`: a line held invalid UTF-8; each bad byte became U+FFFD, as the
 *   apiserver's decoder (Go's encoding/json) reads it.
 * - `bodies_dropped`: an event over the event size limit was judged without its
 *   requestObject and responseObject (its alerts say so).
 */
export type NoticeReason = 'utf8_replaced' | 'bodies_dropped';

/** Every notice, in a stable order. */
export const NOTICE_REASONS: readonly NoticeReason[] = ['utf8_replaced', 'bodies_dropped'];

/** What a reject counter takes: a reject, or a notice about an event kept. */
export type ReportReason = RejectReason | NoticeReason;

/** One rejected input (or notice), with where it was found. */
export interface RejectInfo {
  readonly reason: ReportReason;
  /** File path, `-` for stdin, or a URL. */
  readonly origin: string;
  /** 1-based line within `origin`. */
  readonly line: number;
  /** 1-based column (UTF-16 code units), for JSON syntax errors. */
  readonly column?: number;
  readonly message: string;
}

/** Counters shared by the reader and the decoder of one run. */
export interface DecodeStats {
  /** Lines seen by the decoder (including blank and rejected ones). */
  lines: number;
  /** Records produced. */
  events: number;
  /**
   * Bytes read: of the input as it was read (after gunzip), every line counted whether
   * decoded, skipped by the prefilter or rejected, newlines included; for webhook
   * payloads, their size. The reader counts lines' bytes (decodeLine does not).
   */
  bytes: number;
  readonly rejected: Record<RejectReason, number>;
  /** Events kept but changed on their way in, by reason (see NoticeReason). */
  readonly notices: Record<NoticeReason, number>;
  /** Records produced per input format (the shape each was read from). */
  readonly formats: FormatCounts;
}

/** Fresh zeroed counters. */
export function createDecodeStats(): DecodeStats {
  const rejected = {} as Record<RejectReason, number>;
  for (const r of REJECT_REASONS) rejected[r] = 0;
  const notices = {} as Record<NoticeReason, number>;
  for (const r of NOTICE_REASONS) notices[r] = 0;
  return { lines: 0, events: 0, bytes: 0, rejected, notices, formats: createFormatCounts() };
}

/** Adds `from`'s counts into `into` (per-thread or per-chunk counts of one run). */
export function mergeDecodeStats(
  into: DecodeStats,
  from: Pick<DecodeStats, 'lines' | 'events' | 'bytes'> & {
    readonly rejected: Readonly<Partial<Record<string, number>>>;
    readonly notices?: Readonly<Partial<Record<string, number>>>;
    readonly formats?: Readonly<Partial<Record<string, number>>>;
  },
): void {
  into.lines += from.lines;
  into.events += from.events;
  into.bytes += from.bytes;
  for (const r of REJECT_REASONS) into.rejected[r] += from.rejected[r] ?? 0;
  for (const r of NOTICE_REASONS) into.notices[r] += from.notices?.[r] ?? 0;
  for (const f of INPUT_FORMATS) into.formats[f] += from.formats?.[f] ?? 0;
}

/** Sets every counter back to zero. */
export function resetDecodeStats(stats: DecodeStats): void {
  stats.lines = 0;
  stats.events = 0;
  stats.bytes = 0;
  for (const r of REJECT_REASONS) stats.rejected[r] = 0;
  for (const r of NOTICE_REASONS) stats.notices[r] = 0;
  for (const f of INPUT_FORMATS) stats.formats[f] = 0;
}

/**
 * Counts a reject (or a notice) and tells `onReject` about the first one of each reason
 * per origin.
 */
export type RejectFn = (
  reason: ReportReason,
  origin: string,
  line: number,
  message: string,
  column?: () => number | undefined,
) => void;

// Origins are files or webhook URLs; the cap only guards against a caller that makes
// one origin per request. Past it we forget what was reported and may report again.
const MAX_REMEMBERED = 10_000;

/**
 * Builds the reject counter. `column` is a thunk because locating a JSON error can
 * cost a few re-parses, which only the reported (first) reject pays.
 */
export function createRejectFn(
  stats: DecodeStats,
  onReject: ((info: RejectInfo) => void) | undefined,
): RejectFn {
  const seen = new Set<string>();
  const counts = (reason: ReportReason): Record<string, number> =>
    reason === 'utf8_replaced' || reason === 'bodies_dropped' ? stats.notices : stats.rejected;
  return (reason, origin, line, message, column) => {
    const c = counts(reason);
    c[reason] = (c[reason] ?? 0) + 1;
    if (onReject === undefined) return;
    const key = `${reason}\u0000${origin}`;
    if (seen.has(key)) return;
    if (seen.size >= MAX_REMEMBERED) seen.clear();
    seen.add(key);
    const col = column?.();
    onReject(
      col === undefined
        ? { reason, origin, line, message }
        : { reason, origin, line, column: col, message },
    );
  };
}
