import { createDecoder, type RejectInfo } from '../../events/index.ts';
import { type Priority, priorityRank } from '../../engine/index.ts';
import { readInputs } from '../../sources/index.ts';
import { processLines } from '../pipeline.ts';
import type { ScanConfig, ScanCore } from '../scan-core.ts';
import type { ChunkResult, WorkerReject } from './messages.ts';
import type { Chunk } from './plan-chunks.ts';
import { readRangeLines } from './read-range.ts';

const MAX_LINE_BYTES = 4 * 1024 * 1024;

/**
 * Scans one chunk with a thread's own engine and returns its alerts as text plus the
 * counts to merge; run alike by the main thread and the workers of a parallel scan.
 */
export async function scanChunk(
  core: ScanCore,
  cfg: ScanConfig,
  chunk: Chunk,
): Promise<ChunkResult> {
  const out: string[] = [];
  let minRank = 99;
  const rejects: WorkerReject[] = [];
  const onReject = (r: RejectInfo): void => {
    rejects.push({
      reason: r.reason,
      origin: r.origin,
      line: r.line,
      ...(r.column !== undefined ? { column: r.column } : {}),
      message: r.message,
    });
  };
  const decoder = createDecoder({
    onReject,
    ...(cfg.maxEventSize ? { maxEventSize: cfg.maxEventSize } : {}),
  });
  const stats = decoder.stats;
  let skipped = 0;
  const skip = core.skipLine;
  const emit = (line: string, a: { priority: Priority }): void => {
    out.push(line, '\n');
    const rank = priorityRank(a.priority);
    if (rank < minRank) minRank = rank;
  };
  const onLines = (lines: readonly string[], firstLine: number): void => {
    skipped += processLines(lines, chunk.path, firstLine, decoder, skip, (rec) =>
      core.processRecord(rec, emit),
    );
  };
  let lines: number;
  if (chunk.gzip) {
    lines = 0;
    for await (const b of readInputs([chunk.path], { stats, onReject })) {
      onLines(b.lines, b.firstLine);
      lines = b.firstLine + b.lines.length - 1;
    }
  } else {
    lines = readRangeLines(chunk.path, chunk.start, chunk.end, MAX_LINE_BYTES, onLines, (r) => {
      stats.rejected[r.reason]++;
      onReject({
        reason: r.reason,
        origin: chunk.path,
        line: r.line,
        message:
          r.reason === 'line_too_long'
            ? `line longer than ${MAX_LINE_BYTES} bytes`
            : 'line is not valid UTF-8',
      });
    });
  }
  const m = core.engine.stats;
  const result: ChunkResult = {
    type: 'result',
    index: chunk.index,
    output: out.join(''),
    lines,
    events: stats.events,
    bytes: stats.bytes,
    skipped,
    rejected: { ...stats.rejected },
    rejects,
    byRule: [...m.byRule].filter(([, n]) => n > 0),
    byPriority: [...m.byPriority],
    minRank,
  };
  // Per-chunk counts: reset so the next chunk reports only its own.
  m.total = 0;
  m.byPriority.clear();
  for (const k of m.byRule.keys()) m.byRule.set(k, 0);
  return result;
}
