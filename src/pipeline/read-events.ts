import {
  type AuditRecord,
  createDecoder,
  type DecodeStats,
  type RejectFn,
  type RejectInfo,
} from '../events/index.ts';
import { createFileSource } from '../sources/index.ts';

/** Lines `from..to` of a file (1-based, inclusive); `to` undefined reads to the end. */
export interface LineRange {
  readonly from: number;
  readonly to?: number;
}

/** The events read from a file's lines, and the lines that did not decode. */
export interface ReadEventsResult {
  readonly records: readonly AuditRecord[];
  readonly rejects: readonly RejectInfo[];
}

/** The most events one call reads: explanations and rule tests want a few, not a log. */
export const MAX_READ_EVENTS = 10_000;

/**
 * Reads and decodes the events on some lines of an audit log (plain or .gz), as a scan
 * would: each record keeps its file and line. Lines that do not decode are returned as
 * rejects, all of them (a scan reports the first per reason). Stops after MAX_READ_EVENTS
 * events. Throws InputError when the file cannot be read.
 *
 * @example const { records } = await readEventsAt('audit.log', { from: 42, to: 42 });
 */
export async function readEventsAt(
  path: string,
  range: LineRange = { from: 1 },
): Promise<ReadEventsResult> {
  const rejects: RejectInfo[] = [];
  const decoder = createDecoder();
  const records: AuditRecord[] = [];
  const last = range.to ?? Number.POSITIVE_INFINITY;
  const source = createFileSource([path]);
  // Lines the source cannot hand on (too long, not UTF-8) arrive as '' with a reject.
  const reject: RejectFn = (reason, origin, line, message) => {
    decoder.reject(reason, origin, line, message);
    if (line >= range.from && line <= last) rejects.push({ reason, origin, line, message });
  };
  for await (const batch of source.read({ reject })) {
    for (let i = 0; i < batch.lines.length; i++) {
      const line = batch.firstLine + i;
      if (line < range.from || line > last) continue;
      const text = batch.lines[i] as string;
      const before = rejectCount(decoder.stats);
      records.push(...decoder.decodeLine(text, batch.origin, line));
      // A decoder reports the first reject of each reason only: ask a fresh one for this
      // line's message, since every bad line of a range is wanted here.
      if (rejectCount(decoder.stats) > before) {
        createDecoder({ onReject: (r) => rejects.push(r) }).decodeLine(text, batch.origin, line);
      }
      if (records.length >= MAX_READ_EVENTS) return { records, rejects };
    }
    if (batch.firstLine + batch.lines.length > last) break;
  }
  return { records, rejects };
}

function rejectCount(stats: DecodeStats): number {
  let n = 0;
  for (const v of Object.values(stats.rejected)) n += v;
  return n;
}
