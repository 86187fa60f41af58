import { type DecodeStats, INPUT_FORMATS } from '../events/index.ts';

/** What a run read: the decoder's counters, the prefilter's skips, the time it took. */
export interface RunStats {
  readonly stats: DecodeStats;
  /** Lines the raw-line prefilter skipped without parsing. */
  readonly skipped: number;
  /** Inputs that could not be read, or not to their end (each reported on its own). */
  readonly unreadable: number;
  readonly elapsedMs: number;
}

/** The input half of `--summary`: events read, rejected by reason, time and rate. */
export function formatRunStats(r: RunStats): string {
  const s = r.stats;
  const secs = r.elapsedMs / 1000;
  const rate = secs > 0 ? Math.round(s.events / secs) : 0;
  const mb = s.bytes / (1024 * 1024);
  const lines = [
    `Events read: ${s.events}`,
    `Lines read: ${s.lines}`,
    `Bytes read: ${s.bytes} (${mb.toFixed(1)} MiB)`,
  ];
  const seen = INPUT_FORMATS.filter((f) => s.formats[f] > 0).map((f) => `${f} ${s.formats[f]}`);
  if (seen.length > 0) lines.push(`Input formats: ${seen.join(', ')}`);
  const rejected = Object.entries(s.rejected).filter(([, n]) => n > 0);
  const total = rejected.reduce((acc, [, n]) => acc + n, 0);
  lines.push(`Events rejected: ${total}`);
  for (const [reason, n] of rejected) lines.push(`   ${reason}: ${n}`);
  const { utf8_replaced: replaced, bodies_dropped: trimmed } = s.notices;
  if (replaced > 0) lines.push(`Lines with invalid UTF-8, read with U+FFFD: ${replaced}`);
  if (trimmed > 0) lines.push(`Events over the size limit, judged without bodies: ${trimmed}`);
  if (r.skipped > 0) lines.push(`Events skipped by the raw-line prefilter: ${r.skipped}`);
  if (r.unreadable > 0) lines.push(`Inputs not read (or not to their end): ${r.unreadable}`);
  lines.push(`Elapsed time: ${secs.toFixed(3)} s, ${rate} events/s`);
  return `${lines.join('\n')}\n`;
}
