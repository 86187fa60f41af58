import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { createMatchStats, formatSummary } from '../../engine/index.ts';
import { createDecodeStats } from '../../events/index.ts';
import type { Priority } from '../../rules/index.ts';
import type { LoadedRule } from '../../rules/types.ts';
import type { CommandIo } from '../commands/scan.ts';
import { CliError } from '../errors.ts';
import { waitForDrain } from '../io.ts';
import { startProgress } from '../progress.ts';
import { formatRunStats } from '../run-stats.ts';
import { createScanCore, type ScanConfig } from '../scan-core.ts';
import type { ChunkResult, WorkerRequest, WorkerResponse } from './messages.ts';
import type { Chunk } from './plan-chunks.ts';
import { createChunkScanner } from './scan-chunk.ts';

const WORKER_YOUNG_GENERATION_MB = 8;

/** Worker threads started ahead of the rules load, so that their boot overlaps it. */
export interface ScanWorkers {
  readonly threads: readonly Worker[];
  /** Stops every thread (idempotent). */
  terminate(): Promise<void>;
}

/**
 * Starts `n` scan worker threads. They load the code and then wait for the rules, which
 * the main thread sends once it has loaded them (see runParallelScan).
 */
export function startScanWorkers(n: number): ScanWorkers {
  // Every core scans: V8's helper threads for young-generation collections only take
  // turns with the scanning threads. Scavenging on the collecting thread alone made a
  // two-thread scan of a 930 MiB log 3% faster (medians of 7 interleaved runs). V8 reads
  // the flag at each collection; the process ends with the scan.
  setFlagsFromString('--no-parallel-scavenge');
  const entry = new URL('./worker-entry.mjs', import.meta.url);
  // A smaller young generation than V8's default for the workers' heaps: two isolates
  // with default heaps took the process past 200 MB on large files (203-213 MB on a
  // 930 MiB log, with 512 KiB reads). With 8 MB: 167-178 MB; with 24 or 48 MB, 186-197 MB
  // and no faster.
  const options = { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } };
  const threads = Array.from({ length: n }, () => new Worker(entry, options));
  let stopped: Promise<void> | undefined;
  return {
    threads,
    terminate() {
      stopped ??= Promise.all(threads.map((w) => w.terminate())).then(() => undefined);
      return stopped;
    },
  };
}

export interface ParallelOptions {
  readonly io: CommandIo;
  readonly summary: boolean;
  /** Rank at or below which an alert fails the run (-1: never). */
  readonly failRank: number;
  /** Show the progress line (on a terminal), counting chunks as they are printed. */
  readonly progress: boolean;
}

/** Results waiting to be printed, per scanning thread: bounds the buffered alert text. */
const AHEAD_PER_THREAD = 8;
/** Chunks handed to a worker before it reports back, so it never waits for the main thread. */
const QUEUED_PER_WORKER = 2;

/**
 * Scans file chunks on the main thread and the given workers together and prints the
 * alerts in file order. Chunks are taken from one queue in file order by whichever
 * thread is free (the main thread takes the first ones while the workers boot); results
 * are held until every earlier chunk has been printed.
 */
export async function runParallelScan(
  workers: ScanWorkers,
  chunks: readonly Chunk[],
  rules: readonly LoadedRule[],
  cfg: ScanConfig,
  opts: ParallelOptions,
): Promise<{ failed: boolean }> {
  const started = performance.now();
  const threads = workers.threads;
  const done = new Map<number, ChunkResult>();
  const stats = createDecodeStats();
  const match = createMatchStats(rules.map((r) => r.name));
  const reported = new Set<string>();
  const queued = new Map<Worker, number>();
  const maxAhead = AHEAD_PER_THREAD * (threads.length + 1);
  let skipped = 0;
  let nextAssign = 0;
  let nextPrint = 0;
  let fileOffset = 0;
  let lastPath: string | undefined;
  let failed = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };

  const canAssign = (): boolean => nextAssign < chunks.length && nextAssign - nextPrint < maxAhead;
  const feed = (w: Worker): void => {
    let n = queued.get(w);
    if (n === undefined) return; // not started yet
    while (n < QUEUED_PER_WORKER && canAssign()) {
      w.postMessage({
        type: 'chunk',
        chunk: chunks[nextAssign++] as Chunk,
      } satisfies WorkerRequest);
      n++;
    }
    queued.set(w, n);
  };

  const merge = (r: ChunkResult, chunk: Chunk): void => {
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
  };

  const printReady = async (): Promise<void> => {
    while (done.has(nextPrint)) {
      const r = done.get(nextPrint) as ChunkResult;
      done.delete(nextPrint);
      merge(r, chunks[nextPrint] as Chunk);
      nextPrint++;
      for (const w of threads) feed(w);
      if (r.output.length > 0 && !outClosed && !opts.io.stdout.write(r.output)) {
        await waitForDrain(opts.io.stdout);
      }
    }
  };

  for (const w of threads) {
    w.on('message', (m: WorkerResponse) => {
      if (m.type === 'error') {
        failure ??= new CliError(`kaudit: worker failed: ${m.message}`);
      } else {
        done.set(m.index, m);
        queued.set(w, (queued.get(w) ?? 1) - 1);
        feed(w);
      }
      notify();
    });
    w.on('error', (err) => {
      failure ??= err;
      notify();
    });
    w.on('exit', (code) => {
      if (nextPrint < chunks.length) failure ??= new CliError(`kaudit: worker exited (${code})`);
      notify();
    });
    w.postMessage({ type: 'init', cfg, rules } satisfies WorkerRequest);
    // Its first chunks go right behind the rules: this thread is about to scan without
    // yielding, and a worker fed only once it reported ready sat idle for that long
    // (130 to 180 ms on a 930 MiB log).
    queued.set(w, 0);
    feed(w);
  }

  // A reader that goes away (`| head`) ends the scan quietly, as on one thread. The
  // listener stays: an EPIPE from an earlier write may be reported after the scan.
  let outClosed = false;
  const onOutError = (err: NodeJS.ErrnoException): void => {
    if (err.code === 'EPIPE') outClosed = true;
    else failure ??= err;
    notify();
  };
  opts.io.stdout.on('error', onOutError);
  const progress = opts.progress ? startProgress(opts.io.stderr, stats) : undefined;
  try {
    const scanner = createChunkScanner(createScanCore(rules, cfg), cfg);
    while (nextPrint < chunks.length && !outClosed) {
      if (failure !== undefined) throw failure;
      await printReady();
      if (canAssign()) {
        const chunk = chunks[nextAssign++] as Chunk;
        done.set(chunk.index, await scanner.scan(chunk));
        // A chunk scans without yielding (its reads are synchronous): let the workers'
        // messages in before the next one, or they wait for work until this thread is out.
        await new Promise<void>((resolve) => setImmediate(resolve));
      } else if (nextPrint < chunks.length && !done.has(nextPrint)) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    }
  } finally {
    progress?.stop();
    await workers.terminate();
  }
  if (opts.summary) {
    opts.io.stderr.write(formatSummary(match));
    opts.io.stderr.write(
      formatRunStats({ stats, skipped, elapsedMs: performance.now() - started }),
    );
  }
  return { failed };
}
