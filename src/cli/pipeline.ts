import {
  createDecoder,
  createDecodeStats,
  type Decoder,
  type DecodeStats,
  type RejectInfo,
} from '../events/index.ts';
import type { AuditRecord } from '../events/record.ts';
import { InputError, readInputs } from '../sources/index.ts';
import { CliError, EXIT_FAIL } from './errors.ts';

export interface PipelineOptions {
  readonly paths: readonly string[];
  readonly follow?: boolean;
  readonly maxEventSize?: number;
  readonly maxLineBytes?: number;
  readonly stdin?: NodeJS.ReadableStream;
  readonly signal?: AbortSignal;
  readonly stderr: NodeJS.WritableStream;
  /** Counters to fill (e.g. shared with a progress line); a fresh set by default. */
  readonly stats?: DecodeStats;
  /**
   * Cheap raw-line test: false means no rule can match this line, so it is counted and
   * never parsed. Lines it skips are not validated (see docs/performance.md).
   */
  readonly skipLine?: (line: string) => boolean;
  /** Called for each decoded event, in input order. */
  readonly onRecord: (rec: AuditRecord) => void;
  /** Called after each batch of lines (a good place to flush output). */
  readonly onBatch?: () => Promise<void> | void;
  /** Stop early (e.g. `--limit` reached or stdout closed). */
  readonly shouldStop?: () => boolean;
}

export interface PipelineResult {
  readonly stats: DecodeStats;
  /** Lines the raw-line prefilter skipped without parsing. */
  readonly skipped: number;
  readonly elapsedMs: number;
}

function describeReject(info: RejectInfo): string {
  const col = info.column === undefined ? '' : `:${info.column}`;
  return `kaudit: ${info.origin}:${info.line}${col}: ${info.reason}: ${info.message} (further ${info.reason} in this input counted, not shown)\n`;
}

/**
 * Counts a line the prefilter skipped as the decoder would have counted it: a line that
 * scans as one audit event (the prefilter only skips those) is one line and one event.
 */
export function countSkippedLine(stats: DecodeStats, line: string): void {
  stats.lines++;
  stats.events++;
  stats.bytes += line.length + 1;
}

/**
 * Decodes a block of lines and hands each event on, skipping (and counting) the lines
 * `skip` rules out. Returns how many it skipped. Shared by the single-threaded pipeline
 * and the scan workers so both count alike.
 */
export function processLines(
  lines: readonly string[],
  origin: string,
  firstLine: number,
  decoder: Decoder,
  skip: ((line: string) => boolean) | undefined,
  onRecord: (rec: AuditRecord) => void,
): number {
  let skipped = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (skip !== undefined && line.length > 0 && skip(line)) {
      skipped++;
      countSkippedLine(decoder.stats, line);
      continue;
    }
    for (const rec of decoder.decodeLine(line, origin, firstLine + i)) onRecord(rec);
  }
  return skipped;
}

/**
 * Reads the inputs line by line, decodes events (counting and reporting bad input once
 * per reason and input, never stopping), and hands each event to `onRecord`.
 */
export async function runPipeline(opts: PipelineOptions): Promise<PipelineResult> {
  const started = performance.now();
  const stats = opts.stats ?? createDecodeStats();
  const onReject = (info: RejectInfo): void => {
    opts.stderr.write(describeReject(info));
  };
  const decoder = createDecoder({
    stats,
    onReject,
    ...(opts.maxEventSize !== undefined ? { maxEventSize: opts.maxEventSize } : {}),
  });
  const skip = opts.skipLine;
  let skipped = 0;
  try {
    for await (const batch of readInputs(opts.paths, {
      stats,
      onReject,
      ...(opts.follow ? { follow: true, fromStart: true } : {}),
      ...(opts.maxLineBytes !== undefined ? { maxLineBytes: opts.maxLineBytes } : {}),
      ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}),
      ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
    })) {
      skipped += processLines(
        batch.lines,
        batch.origin,
        batch.firstLine,
        decoder,
        skip,
        opts.onRecord,
      );
      if (opts.onBatch) await opts.onBatch();
      if (opts.shouldStop?.()) break;
    }
  } catch (err) {
    if (err instanceof InputError) throw new CliError(`kaudit: ${err.message}`, EXIT_FAIL);
    throw err;
  }
  return { stats, skipped, elapsedMs: performance.now() - started };
}
