import { createDecoder, REJECT_REASONS, type RejectInfo } from '../../events/index.ts';
import type { AuditRecord } from '../../events/record.ts';
import { type Priority, priorityRank } from '../../rules/index.ts';
import { readInputs } from '../../sources/index.ts';
import { processLines } from '../pipeline.ts';
import type { ScanConfig, ScanCore } from '../scan-core.ts';
import type { ChunkResult, WorkerReject } from './messages.ts';
import type { Chunk } from './plan-chunks.ts';
import { type RangeReject, readRangeLines } from './read-range.ts';

const MAX_LINE_BYTES = 4 * 1024 * 1024;

/** Scans chunks one after another with one thread's engine. */
export interface ChunkScanner {
  /** Scans one chunk; returns its alerts as text plus the counts to merge. */
  scan(chunk: Chunk): Promise<ChunkResult>;
}

/**
 * Builds a thread's chunk scanner, run alike by the main thread and the workers of a
 * parallel scan. The decoder and every callback are made once per thread, not per
 * chunk: a fresh set per chunk handed the hot functions new call targets, and each one
 * threw away their optimized code (a recompile per function, per thread).
 */
export function createChunkScanner(core: ScanCore, cfg: ScanConfig): ChunkScanner {
  // Per-chunk state, reset by scan().
  let out: string[] = [];
  let minRank = 99;
  let rejects: WorkerReject[] = [];
  let skipped = 0;
  let path = '';

  const onReject = (r: RejectInfo): void => {
    rejects.push({
      reason: r.reason,
      origin: r.origin,
      line: r.line,
      ...(r.column !== undefined ? { column: r.column } : {}),
      message: r.message,
    });
  };
  // One decoder per thread: it reports the first reject of each reason per file, which
  // is this thread's earliest, and the main thread prints the earliest of all threads.
  const decoder = createDecoder({
    onReject,
    ...(cfg.maxEventSize ? { maxEventSize: cfg.maxEventSize } : {}),
  });
  const stats = decoder.stats;
  const skip = core.skipLine;
  const emit = (line: string, a: { priority: Priority }): void => {
    out.push(line, '\n');
    const rank = priorityRank(a.priority);
    if (rank < minRank) minRank = rank;
  };
  const onRecord = (rec: AuditRecord): void => core.processRecord(rec, emit);
  const onLines = (lines: readonly string[], firstLine: number): void => {
    skipped += processLines(lines, path, firstLine, decoder, skip, onRecord);
  };
  const onRangeReject = (r: RangeReject): void => {
    stats.rejected[r.reason]++;
    onReject({
      reason: r.reason,
      origin: path,
      line: r.line,
      message:
        r.reason === 'line_too_long'
          ? `line longer than ${MAX_LINE_BYTES} bytes`
          : 'line is not valid UTF-8',
    });
  };

  return {
    async scan(chunk) {
      out = [];
      minRank = 99;
      rejects = [];
      skipped = 0;
      path = chunk.path;
      // evt.num counts from 1 in every chunk, as if each were a file of its own.
      decoder.restartNumbering();
      let lines: number;
      if (chunk.gzip) {
        lines = 0;
        for await (const b of readInputs([chunk.path], { stats, onReject })) {
          onLines(b.lines, b.firstLine);
          lines = b.firstLine + b.lines.length - 1;
        }
      } else {
        lines = readRangeLines(
          chunk.path,
          chunk.start,
          chunk.end,
          MAX_LINE_BYTES,
          onLines,
          onRangeReject,
        );
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
      stats.lines = 0;
      stats.events = 0;
      stats.bytes = 0;
      for (const r of REJECT_REASONS) stats.rejected[r] = 0;
      m.total = 0;
      m.byPriority.clear();
      for (const k of m.byRule.keys()) m.byRule.set(k, 0);
      return result;
    },
  };
}
