import type { AuditRecord, Decoder, DecodeStats } from '../events/index.ts';

/**
 * Counts a line the prefilter skipped as the decoder would have counted it: a line that
 * scans as one audit event (the prefilter only skips those) is one line and one event.
 * Its bytes are in its batch's, counted by the reader.
 */
export function countSkippedLine(stats: DecodeStats): void {
  stats.lines++;
  stats.events++;
}

/** A unit of a line too long to hold, as the source hands it on (see LineItem). */
export interface LongLineUnit {
  readonly line: number;
  readonly kind: 'event' | 'payload';
  readonly text: string;
  readonly bodiesDropped: boolean;
}

/**
 * Decodes a batch of lines and hands each event on, skipping (and counting) the lines
 * `skip` rules out. Units of lines too long to hold (`items`) are decoded in line order,
 * never skipped. Returns how many lines it skipped. The one way lines become records,
 * for the single-threaded pipeline and the scanning threads alike.
 */
export function decodeLines(
  lines: readonly string[],
  origin: string,
  firstLine: number,
  decoder: Decoder,
  skip: ((line: string) => boolean) | undefined,
  onRecord: (rec: AuditRecord) => void,
  cluster?: string,
  items?: readonly LongLineUnit[],
): number {
  let skipped = 0;
  let next = 0; // the next unit of `items` to decode
  for (let i = 0; i < lines.length; i++) {
    if (items !== undefined)
      next = decodeUnits(items, next, firstLine + i, origin, decoder, onRecord, cluster);
    const line = lines[i] as string;
    if (skip !== undefined && line.length > 0 && skip(line)) {
      skipped++;
      countSkippedLine(decoder.stats);
      continue;
    }
    for (const rec of decoder.decodeLine(line, origin, firstLine + i, cluster)) onRecord(rec);
  }
  if (items !== undefined)
    decodeUnits(items, next, Number.POSITIVE_INFINITY, origin, decoder, onRecord, cluster);
  return skipped;
}

/** Decodes the units from `from` on that belong to lines before `before`; returns the next. */
function decodeUnits(
  items: readonly LongLineUnit[],
  from: number,
  before: number,
  origin: string,
  decoder: Decoder,
  onRecord: (rec: AuditRecord) => void,
  cluster: string | undefined,
): number {
  let k = from;
  for (; k < items.length; k++) {
    const u = items[k] as LongLineUnit;
    if (u.line >= before) break;
    const recs = decoder.decodeItem(u.text, u.kind, origin, u.line, u.bodiesDropped, cluster);
    for (const rec of recs) onRecord(rec);
  }
  return k;
}
