import { Worker } from 'node:worker_threads';
import { createMatchStats, formatSummary, type Priority } from '../../engine/index.ts';
import { createDecodeStats } from '../../events/index.ts';
import type { CommandIo } from '../commands/scan.ts';
import { CliError } from '../errors.ts';
import { formatRunStats } from '../run-stats.ts';
import type { ScanConfig } from '../scan-core.ts';
import type { ChunkResult, WorkerRequest, WorkerResponse } from './messages.ts';
import type { Chunk } from './plan-chunks.ts';

export interface ParallelOptions {
  readonly workers: number;
  readonly io: CommandIo;
  readonly summary: boolean;
  /** Rank at or below which an alert fails the run (-1: never). */
  readonly failRank: number;
  /** Rule names in definition order, for the summary's order. */
  readonly ruleNames: readonly string[];
}

/**
 * Scans file chunks on a pool of worker threads and prints their alerts in file order:
 * results are held until every earlier chunk has been printed, and no more than two
 * chunks per worker are handed out ahead of the printer, which bounds memory.
 */
export async function runParallelScan(
  chunks: readonly Chunk[],
  cfg: ScanConfig,
  opts: ParallelOptions,
): Promise<{ failed: boolean }> {
  const started = performance.now();
  const n = Math.min(opts.workers, chunks.length);
  const entry = new URL('./worker-entry.mjs', import.meta.url);
  const pool = Array.from({ length: n }, () => new Worker(entry, { workerData: cfg }));
  const done = new Map<number, ChunkResult>();
  const stats = createDecodeStats();
  const match = createMatchStats(opts.ruleNames);
  const reported = new Set<string>();
  let skipped = 0;
  let nextAssign = 0;
  let nextPrint = 0;
  let fileOffset = 0;
  let lastPath: string | undefined;
  let failed = false;

  const printReady = async (): Promise<void> => {
    while (done.has(nextPrint)) {
      const r = done.get(nextPrint) as ChunkResult;
      const chunk = chunks[nextPrint] as Chunk;
      done.delete(nextPrint);
      if (chunk.path !== lastPath) {
        lastPath = chunk.path;
        fileOffset = 0;
      }
      for (const j of r.rejects) {
        const key = `${j.origin}\u0000${j.reason}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const line = j.line + (chunk.gzip ? 0 : fileOffset);
        const col = j.column === undefined ? '' : `:${j.column}`;
        opts.io.stderr.write(
          `kaudit: ${j.origin}:${line}${col}: ${j.reason}: ${j.message} (further ${j.reason} in this input counted, not shown)\n`,
        );
      }
      fileOffset += r.lines;
      stats.lines += r.lines;
      stats.events += r.events;
      stats.bytes += r.bytes;
      skipped += r.skipped;
      for (const [k, v] of Object.entries(r.rejected)) {
        const key = k as keyof typeof stats.rejected;
        stats.rejected[key] = (stats.rejected[key] ?? 0) + v;
      }
      for (const [rule, c] of r.byRule) {
        match.byRule.set(rule, (match.byRule.get(rule) ?? 0) + c);
        match.total += c;
      }
      for (const [p, c] of r.byPriority) {
        match.byPriority.set(p as Priority, (match.byPriority.get(p as Priority) ?? 0) + c);
      }
      if (r.minRank <= opts.failRank) failed = true;
      if (r.output.length > 0 && !opts.io.stdout.write(r.output)) {
        await new Promise<void>((resolve) => opts.io.stdout.once('drain', () => resolve()));
      }
      nextPrint++;
    }
  };

  try {
    await new Promise<void>((resolve, reject) => {
      const assign = (w: Worker): void => {
        if (nextAssign >= chunks.length || nextAssign - nextPrint >= 2 * n) return;
        const chunk = chunks[nextAssign++] as Chunk;
        w.postMessage({ type: 'chunk', chunk } satisfies WorkerRequest);
      };
      const idle: Worker[] = [];
      for (const w of pool) {
        w.on('error', reject);
        w.on('message', (m: WorkerResponse) => {
          if (m.type === 'error')
            return reject(new CliError(`kaudit: worker failed: ${m.message}`));
          if (m.type === 'result') done.set(m.index, m);
          printReady()
            .then(() => {
              if (nextPrint >= chunks.length) return resolve();
              idle.push(w);
              // Hand out work to every idle worker the printer's progress now allows.
              while (
                idle.length > 0 &&
                nextAssign < chunks.length &&
                nextAssign - nextPrint < 2 * n
              ) {
                assign(idle.shift() as Worker);
              }
            })
            .catch(reject);
        });
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  if (opts.summary) {
    opts.io.stderr.write(formatSummary(match));
    opts.io.stderr.write(
      formatRunStats({ stats, skipped, elapsedMs: performance.now() - started }),
    );
  }
  return { failed };
}
