import { Buffer } from 'node:buffer';
import {
  createDecoder,
  createDecodeStats,
  type DecodeStats,
  type RejectInfo,
} from '../events/index.ts';
import { type InputError, readInputs } from '../sources/index.ts';

/** One audit event as it was logged, with its size in the log. */
export interface LoggedEvent {
  readonly obj: Readonly<Record<string, unknown>>;
  /** UTF-8 bytes the event takes in the log (its line when a line holds one event). */
  readonly bytes: number;
  readonly origin: string;
  readonly line: number;
}

/** What the reader and decoder skipped, and the first skip for the message. */
export interface LogReadStats {
  readonly decode: DecodeStats;
  firstReject?: RejectInfo;
  /** Inputs that could not be read, or not to their end; the others were read. */
  readonly unreadable: InputError[];
}

/** Fresh counters for readAuditLogs. */
export function createLogReadStats(): LogReadStats {
  return { decode: createDecodeStats(), unreadable: [] };
}

// Simulation measures sizes, so the usual event size limits (256 KiB, as Falco) would
// hide exactly the large events that matter; the bound is kept, only much higher.
const MAX_EVENT_BYTES = 64 * 1024 * 1024;

/**
 * Reads audit logs (files, directories, `-`; JSON lines of Event/EventList and the
 * envelopes the shared decoder knows) as k8s_audit events with their logged sizes. Bad
 * lines and inputs that cannot be read are counted in `stats`, never thrown;
 * `onInputError` hears of each such input as it happens.
 */
export async function* readAuditLogs(
  paths: readonly string[],
  stats: LogReadStats,
  onInputError?: (err: InputError) => void,
): AsyncGenerator<LoggedEvent> {
  const onReject = (info: RejectInfo): void => {
    // Notices (a line read with U+FFFD) keep their event: only a skipped line counts.
    if (info.reason === 'utf8_replaced' || info.reason === 'bodies_dropped') return;
    stats.firstReject ??= info;
  };
  // Sizes are what is measured: an event over the limit is rejected, never trimmed.
  const decoder = createDecoder({
    maxEventSize: MAX_EVENT_BYTES,
    oversize: 'drop',
    stats: stats.decode,
    onReject,
  });
  const batches = readInputs(paths, {
    maxLineBytes: MAX_EVENT_BYTES,
    reject: decoder.reject,
    onInputError: (err) => {
      stats.unreadable.push(err);
      onInputError?.(err);
    },
  });
  for await (const batch of batches) {
    for (let i = 0; i < batch.lines.length; i++) {
      const text = batch.lines[i] ?? '';
      const line = batch.firstLine + i;
      const records = decoder.decodeLine(text, batch.origin, line);
      for (const rec of records) {
        if (rec.source !== 'k8s_audit') continue;
        const bytes =
          records.length === 1
            ? Buffer.byteLength(text.trim())
            : Buffer.byteLength(JSON.stringify(rec.obj));
        yield { obj: rec.obj, bytes, origin: batch.origin, line };
      }
    }
    // Units of lines too long to hold (a huge EventList), each measured on its own.
    for (const u of batch.items ?? []) {
      for (const rec of decoder.decodeItem(u.text, u.kind, batch.origin, u.line, false)) {
        if (rec.source !== 'k8s_audit') continue;
        const bytes = Buffer.byteLength(JSON.stringify(rec.obj));
        yield { obj: rec.obj, bytes, origin: batch.origin, line: u.line };
      }
    }
  }
}

/** Total lines skipped for any reason. */
export function countRejected(stats: LogReadStats): number {
  return Object.values(stats.decode.rejected).reduce((a, b) => a + b, 0);
}
