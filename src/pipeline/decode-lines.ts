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

/**
 * Decodes a batch of lines and hands each event on, skipping (and counting) the lines
 * `skip` rules out. Returns how many it skipped. The one way lines become records, for
 * the single-threaded pipeline and the scanning threads alike.
 */
export function decodeLines(
  lines: readonly string[],
  origin: string,
  firstLine: number,
  decoder: Decoder,
  skip: ((line: string) => boolean) | undefined,
  onRecord: (rec: AuditRecord) => void,
  cluster?: string,
): number {
  let skipped = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (skip !== undefined && line.length > 0 && skip(line)) {
      skipped++;
      countSkippedLine(decoder.stats);
      continue;
    }
    for (const rec of decoder.decodeLine(line, origin, firstLine + i, cluster)) onRecord(rec);
  }
  return skipped;
}
