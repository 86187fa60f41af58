import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { Alert, Correlator } from '../../engine/index.ts';
import { createMatchStats, type MatchStats, mergeMatchStats } from '../../engine/index.ts';
import {
  createDecodeStats,
  type DecodeStats,
  mergeDecodeStats,
  type RejectInfo,
  type RejectReason,
} from '../../events/index.ts';
import type { Output, RenderChannel, RunStats } from '../../outputs/index.ts';
import type { LoadedRule, Priority } from '../../rules/index.ts';
import { type Chunk, InputError } from '../../sources/index.ts';
import { createDetectorCorrelator } from '../detector.ts';
import { createChunkScanner } from './chunk-scanner.ts';
import type {
  ChunkResult,
  ChunkScanConfig,
  CorrelationItem,
  WorkerRequest,
  WorkerResponse,
} from './messages.ts';

const WORKER_YOUNG_GENERATION_MB = 8;

/** Worker threads started ahead of the rules load, so that their boot overlaps it. */
export interface ScanWorkers {
  readonly threads: readonly Worker[];
  /** Stops every thread (idempotent). */
  terminate(): Promise<void>;
}

/** A scanning thread failed (its message); the scan cannot complete. */
export class ParallelScanError extends Error {
  override readonly name = 'ParallelScanError';
  readonly code = 'WORKER_FAILED';
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

/** What a parallel scan needs besides the workers, chunks and rules. */
export interface ParallelOptions {
  readonly config: Omit<ChunkScanConfig, 'channels' | 'structured'>;
  readonly outputs: readonly Output[];
  /** The first bad input of each kind per file, with its line in the file. */
  readonly onReject: (info: RejectInfo) => void;
  /** Counters to fill as chunks complete (a progress line reads them). */
  readonly stats?: DecodeStats;
  /** Sees every alert's priority as its chunk is delivered (`--fail-on`). */
  readonly onPriority?: (priority: Priority, count: number) => void;
  /** Told once per input that cannot be read (or not to its end); the scan goes on. */
  readonly onInputError?: (err: InputError) => void;
  /** Inputs that planning could not open: reported and counted with the others. */
  readonly failedInputs?: readonly InputError[];
}

/** The counts of a parallel scan, as a single-threaded run reports them. */
export interface ParallelResult extends RunStats {
  readonly match: MatchStats;
}

/** Results waiting to be delivered, per scanning thread: bounds the buffered alert text. */
const AHEAD_PER_THREAD = 8;
/** Chunks handed to a worker before it reports back, so it never waits for the main thread. */
const QUEUED_PER_WORKER = 2;

/** The distinct render channels of the outputs, and each output's index into them. */
function planChannels(outputs: readonly Output[]): {
  channels: RenderChannel[];
  index: number[];
  structured: boolean;
} {
  const channels: RenderChannel[] = [];
  const keys: string[] = [];
  const index: number[] = [];
  let structured = false;
  for (const o of outputs) {
    if (o.channel === undefined || o.writeRendered === undefined) {
      structured = true;
      index.push(-1);
      continue;
    }
    const key = JSON.stringify(o.channel);
    let i = keys.indexOf(key);
    if (i === -1) {
      i = keys.push(key) - 1;
      channels.push(o.channel);
    }
    index.push(i);
  }
  return { channels, index, structured };
}

/**
 * Writes the part of a chunk's output between two correlation items (`from` exclusive
 * of what came before it, `to` undefined for the end): per channel the rendered text,
 * for the other outputs the structured alerts.
 */
function writeChunkPart(
  outputs: readonly Output[],
  index: readonly number[],
  r: ChunkResult,
  from: CorrelationItem | undefined,
  to: CorrelationItem | undefined,
): void {
  for (let k = 0; k < outputs.length; k++) {
    const o = outputs[k] as Output;
    const c = index[k] as number;
    if (c >= 0) {
      const text = r.rendered[c] as string;
      const start = from === undefined ? 0 : (from.at[2 * c] as number);
      const end = to === undefined ? text.length : (to.at[2 * c] as number);
      const before = from === undefined ? 0 : (from.at[2 * c + 1] as number);
      const upTo =
        to === undefined ? (r.renderedCounts[c] as number) : (to.at[2 * c + 1] as number);
      if (upTo > before) o.writeRendered?.(text.slice(start, end), upTo - before);
    } else {
      const start = from?.alerts ?? 0;
      const end = to?.alerts ?? r.alerts.length;
      for (let i = start; i < end; i++) o.write(r.alerts[i] as Alert);
    }
  }
}

/**
 * Scans file chunks on the main thread and the given workers together and delivers the
 * alerts to the outputs in file order. Chunks are taken from one queue in file order by
 * whichever thread is free (the main thread takes the first ones while the workers boot);
 * results are held until every earlier chunk has been delivered.
 */
export async function runParallelScan(
  workers: ScanWorkers,
  chunks: readonly Chunk[],
  rules: readonly LoadedRule[],
  opts: ParallelOptions,
): Promise<ParallelResult> {
  const started = performance.now();
  const threads = workers.threads;
  const { outputs } = opts;
  const plan = planChannels(outputs);
  const cfg: ChunkScanConfig = {
    ...opts.config,
    channels: plan.channels,
    structured: plan.structured,
  };
  const done = new Map<number, ChunkResult>();
  const stats = opts.stats ?? createDecodeStats();
  const match = createMatchStats(rules.map((r) => r.name));
  const reported = new Set<string>();
  const unreadable = new Set<string>();
  const inputFailed = (e: InputError): void => {
    if (unreadable.has(e.path)) return;
    unreadable.add(e.path);
    opts.onInputError?.(e);
  };
  for (const e of opts.failedInputs ?? []) inputFailed(e);
  const queued = new Map<Worker, number>();
  const maxAhead = AHEAD_PER_THREAD * (threads.length + 1);
  let skipped = 0;
  let nextAssign = 0;
  let nextPrint = 0;
  let fileOffset = 0;
  let lastPath: string | undefined;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const allClosed = (): boolean => outputs.length > 0 && outputs.every((o) => o.closed);

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
      opts.onReject({
        reason: j.reason as RejectReason,
        origin: j.origin,
        line: j.line + (chunk.gzip ? 0 : fileOffset),
        ...(j.column !== undefined ? { column: j.column } : {}),
        message: j.message,
      });
    }
    for (const e of r.inputErrors) inputFailed(new InputError(e.code, e.path, e.detail));
    fileOffset += r.lines;
    mergeDecodeStats(stats, r);
    skipped += r.skipped;
    mergeMatchStats(match, r);
    if (opts.onPriority) for (const [p, n] of r.byPriority) opts.onPriority(p, n);
  };

  // Filled once this thread's scanner exists: correlation runs here, over every chunk in order.
  let correlator: Correlator | undefined;
  const writeAlerts = (alerts: readonly Alert[]): void => {
    for (const a of alerts) {
      for (const o of outputs) o.write(a);
      opts.onPriority?.(a.priority, 1);
    }
  };
  const deliver = async (r: ChunkResult): Promise<void> => {
    if (correlator === undefined || r.correlation.length === 0) {
      writeChunkPart(outputs, plan.index, r, undefined, undefined);
    } else {
      let from: CorrelationItem | undefined;
      for (const item of r.correlation) {
        writeChunkPart(outputs, plan.index, r, from, item);
        writeAlerts(correlator.feed(item.timeNs, item.steps));
        from = item;
      }
      writeChunkPart(outputs, plan.index, r, from, undefined);
    }
    await Promise.all(outputs.map((o) => o.flush()));
  };

  const printReady = async (): Promise<void> => {
    while (done.has(nextPrint)) {
      const r = done.get(nextPrint) as ChunkResult;
      done.delete(nextPrint);
      merge(r, chunks[nextPrint] as Chunk);
      nextPrint++;
      for (const w of threads) feed(w);
      await deliver(r);
    }
  };

  for (const w of threads) {
    w.on('message', (m: WorkerResponse) => {
      if (m.type === 'error') {
        failure ??= new ParallelScanError(`worker failed: ${m.message}`);
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
      if (nextPrint < chunks.length) failure ??= new ParallelScanError(`worker exited (${code})`);
      notify();
    });
    w.postMessage({ type: 'init', cfg, rules } satisfies WorkerRequest);
    // Its first chunks go right behind the rules: this thread is about to scan without
    // yielding, and a worker fed only once it reported ready sat idle for that long
    // (130 to 180 ms on a 930 MiB log).
    queued.set(w, 0);
    feed(w);
  }

  try {
    const scanner = createChunkScanner(rules, cfg);
    if (scanner.engine.statefulRules.length > 0) {
      correlator = createDetectorCorrelator(scanner.engine, cfg.detector, match);
    }
    while (nextPrint < chunks.length && !allClosed()) {
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
    if (correlator !== undefined && !allClosed()) {
      writeAlerts(correlator.flush());
      await Promise.all(outputs.map((o) => o.flush()));
    }
  } finally {
    await workers.terminate();
  }
  return {
    stats,
    skipped,
    unreadable: unreadable.size,
    match,
    elapsedMs: performance.now() - started,
  };
}
