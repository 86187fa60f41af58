/** Why a line, payload or event was not turned into a record. */
export type RejectReason =
  | 'invalid_json'
  | 'not_audit_event'
  | 'event_too_large'
  | 'line_too_long'
  | 'invalid_utf8'
  | 'too_deep'
  | 'wrong_type'
  | 'missing_timestamp'
  | 'bad_timestamp';

/** Every reason, in a stable order (for summaries and zeroed counters). */
export const REJECT_REASONS: readonly RejectReason[] = [
  'invalid_json',
  'not_audit_event',
  'event_too_large',
  'line_too_long',
  'invalid_utf8',
  'too_deep',
  'wrong_type',
  'missing_timestamp',
  'bad_timestamp',
];

/** One rejected input, with where it was found. */
export interface RejectInfo {
  readonly reason: RejectReason;
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
}

/** Fresh zeroed counters. */
export function createDecodeStats(): DecodeStats {
  const rejected = {} as Record<RejectReason, number>;
  for (const r of REJECT_REASONS) rejected[r] = 0;
  return { lines: 0, events: 0, bytes: 0, rejected };
}

/** Adds `from`'s counts into `into` (per-thread or per-chunk counts of one run). */
export function mergeDecodeStats(
  into: DecodeStats,
  from: Pick<DecodeStats, 'lines' | 'events' | 'bytes'> & {
    readonly rejected: Readonly<Partial<Record<string, number>>>;
  },
): void {
  into.lines += from.lines;
  into.events += from.events;
  into.bytes += from.bytes;
  for (const r of REJECT_REASONS) into.rejected[r] += from.rejected[r] ?? 0;
}

/** Sets every counter back to zero. */
export function resetDecodeStats(stats: DecodeStats): void {
  stats.lines = 0;
  stats.events = 0;
  stats.bytes = 0;
  for (const r of REJECT_REASONS) stats.rejected[r] = 0;
}

/** Counts a reject and tells `onReject` about the first one of each reason per origin. */
export type RejectFn = (
  reason: RejectReason,
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
  return (reason, origin, line, message, column) => {
    stats.rejected[reason]++;
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
