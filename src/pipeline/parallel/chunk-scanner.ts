import type { Alert, Engine } from '../../engine/index.ts';
import { resetMatchStats, timeNsToSeconds } from '../../engine/index.ts';
import {
  type AuditRecord,
  createDecoder,
  type RejectInfo,
  resetDecodeStats,
} from '../../events/index.ts';
import { compileAlertFilter, createAlertFormatter } from '../../outputs/index.ts';
import type { LoadedRule } from '../../rules/index.ts';
import { type Chunk, createRangeSource, type InputError } from '../../sources/index.ts';
import { createDetector } from '../detector.ts';
import { streamRecords } from '../pipeline.ts';
import type {
  ChunkResult,
  ChunkScanConfig,
  CorrelationItem,
  WorkerInputError,
  WorkerReject,
} from './messages.ts';

/** Scans chunks one after another with one thread's engine. */
export interface ChunkScanner {
  /** The thread's engine (its stateful rules are what correlation items index). */
  readonly engine: Engine;
  /** Scans one chunk; returns its alerts (rendered per channel) plus the counts to merge. */
  scan(chunk: Chunk): Promise<ChunkResult>;
}

/** One render channel compiled: its formatter, its filter, and this chunk's lines. */
interface Channel {
  readonly format: (a: Alert) => string;
  readonly accept: ((a: Alert) => boolean) | undefined;
  out: string[];
  count: number;
  /** Characters in `out` so far. */
  len: number;
}

/**
 * Builds a thread's chunk scanner, run alike by the main thread and the workers of a
 * parallel scan. The decoder and every callback are made once per thread, not per
 * chunk: a fresh set per chunk handed the hot functions new call targets, and each one
 * threw away their optimized code (a recompile per function, per thread).
 */
export function createChunkScanner(
  rules: readonly LoadedRule[],
  cfg: ChunkScanConfig,
): ChunkScanner {
  // Correlation state belongs to the one thread that sees every chunk in order: this one
  // only reports each event's step matches (and where its clock moves) with the chunk.
  const detector = createDetector(rules, cfg.detector, 'steps');
  const engine = detector.engine;
  const stateful = engine.statefulRules.length > 0;
  const channels: Channel[] = cfg.channels.map((c) => ({
    format: createAlertFormatter(c.format),
    accept: c.filter === undefined ? undefined : compileAlertFilter(c.filter),
    out: [],
    count: 0,
    len: 0,
  }));
  // Per-chunk state, reset by scan().
  let rejects: WorkerReject[] = [];
  let alerts: Alert[] = [];
  let inputErrors: WorkerInputError[] = [];
  const onInputError = (e: InputError): void => {
    inputErrors.push({
      code: e.code,
      path: e.path,
      ...(e.detail !== undefined ? { detail: e.detail } : {}),
    });
  };
  let items: CorrelationItem[] = [];
  let clock = Number.NEGATIVE_INFINITY;

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
    ...(cfg.oversize !== undefined ? { oversize: cfg.oversize } : {}),
    ...(cfg.cluster !== undefined ? { cluster: cfg.cluster } : {}),
    ...(cfg.format !== undefined ? { format: cfg.format } : {}),
  });
  const structured = cfg.structured;
  const correlationItem = (rec: AuditRecord): void => {
    const steps = engine.steps;
    const second = timeNsToSeconds(rec.timeNs);
    if (steps.length === 0 && second <= clock) return;
    if (second > clock) clock = second;
    const at: number[] = [];
    for (const ch of channels) at.push(ch.len, ch.count);
    items.push({ timeNs: rec.timeNs, steps: steps.slice(), at, alerts: alerts.length });
    steps.length = 0;
  };
  const onRecord = (rec: AuditRecord): void => {
    const found = detector.process(rec);
    for (let i = 0; i < found.length; i++) {
      const a = found[i] as Alert;
      for (let c = 0; c < channels.length; c++) {
        const ch = channels[c] as Channel;
        if (ch.accept !== undefined && !ch.accept(a)) continue;
        const line = ch.format(a);
        ch.out.push(line, '\n');
        ch.len += line.length + 1;
        ch.count++;
      }
      if (structured) alerts.push(a);
    }
    if (stateful) correlationItem(rec);
  };

  return {
    engine,
    async scan(chunk) {
      rejects = [];
      alerts = [];
      inputErrors = [];
      items = [];
      clock = Number.NEGATIVE_INFINITY;
      detector.resetClock();
      // evt.num counts from 1 in every chunk, as if each were a file of its own.
      decoder.restartNumbering();
      const run = await streamRecords({
        source: createRangeSource(chunk, cfg.maxLineBytes),
        decoder,
        ...(detector.skipLine ? { skipLine: detector.skipLine } : {}),
        onInputError,
        onRecord,
      });
      const stats = decoder.stats;
      const m = detector.engine.stats;
      const result: ChunkResult = {
        type: 'result',
        index: chunk.index,
        rendered: channels.map((c) => c.out.join('')),
        renderedCounts: channels.map((c) => c.count),
        alerts,
        lines: stats.lines,
        events: stats.events,
        bytes: stats.bytes,
        skipped: run.skipped,
        rejected: { ...stats.rejected },
        notices: { ...stats.notices },
        formats: { ...stats.formats },
        rejects,
        inputErrors,
        byRule: [...m.byRule].filter(([, n]) => n > 0),
        byPriority: [...m.byPriority],
        correlation: items,
      };
      // Per-chunk counts: reset so the next chunk reports only its own.
      resetDecodeStats(stats);
      resetMatchStats(m);
      for (const c of channels) {
        c.out = [];
        c.count = 0;
        c.len = 0;
      }
      return result;
    },
  };
}
