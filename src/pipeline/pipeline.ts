import type { Alert } from '../engine/index.ts';
import type { AuditRecord, Decoder } from '../events/index.ts';
import type { Output, RunStats } from '../outputs/index.ts';
import type { InputError, Source } from '../sources/index.ts';
import { decodeLines } from './decode-lines.ts';
import type { Detector } from './detector.ts';

/** Reading events from a source: the decoder, the prefilter, and where records go. */
export interface RecordStreamOptions {
  readonly source: Source;
  /** Its stats and reject counter are the run's: the source reports into them too. */
  readonly decoder: Decoder;
  /**
   * Cheap raw-line test: true means nothing can match this line, so it is counted and
   * never parsed. Lines it skips are not validated (see docs/performance.md).
   */
  readonly skipLine?: (line: string) => boolean;
  readonly signal?: AbortSignal;
  /** Told about each input that cannot be read; the run goes on with the next one. */
  readonly onInputError?: (err: InputError) => void;
  /** Called for each decoded event, in input order. */
  readonly onRecord: (rec: AuditRecord) => void;
  /** Called after each batch of lines: flush outputs there (backpressure). */
  readonly onBatch?: () => Promise<void> | void;
  /** Stop early (e.g. `--limit` reached or every output closed). */
  readonly shouldStop?: () => boolean;
}

/**
 * Reads a source batch by batch and decodes its lines into records, never stopping for
 * bad input: the decoder counts and reports bad lines, and an input that cannot be read
 * (or not to its end) is counted in `unreadable`, given to `onInputError`, and the
 * source goes on with the next one.
 */
export async function streamRecords(opts: RecordStreamOptions): Promise<RunStats> {
  const started = performance.now();
  const { decoder, onRecord } = opts;
  const skip = opts.skipLine;
  let skipped = 0;
  let unreadable = 0;
  const ctx = {
    reject: decoder.reject,
    ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
    onInputError: (err: InputError): void => {
      unreadable++;
      opts.onInputError?.(err);
    },
  };
  for await (const batch of opts.source.read(ctx)) {
    decoder.stats.bytes += batch.bytes;
    const { lines, origin, firstLine, cluster, items } = batch;
    skipped += decodeLines(lines, origin, firstLine, decoder, skip, onRecord, cluster, items);
    if (opts.onBatch) await opts.onBatch();
    // Only now, with the batch's alerts delivered, may the source forget the batch.
    if (batch.commit) await batch.commit();
    if (opts.shouldStop?.()) break;
  }
  return { stats: decoder.stats, skipped, unreadable, elapsedMs: performance.now() - started };
}

/** The whole flow: a source's events through detection to the outputs. */
export interface PipelineOptions {
  readonly source: Source;
  readonly decoder: Decoder;
  readonly detector: Detector;
  readonly outputs: readonly Output[];
  readonly signal?: AbortSignal;
  /** Told about each input that cannot be read; the run goes on with the next one. */
  readonly onInputError?: (err: InputError) => void;
  /** Sees every alert after the outputs were given it (e.g. `--fail-on`). */
  readonly onAlert?: (alert: Alert) => void;
  /**
   * The input does not end here (`kaudit serve` stopping): keep the correlation state
   * instead of flushing what it holds as end-of-input alerts.
   */
  readonly keepState?: boolean;
}

/**
 * Runs source → decode → detect → outputs. After each batch the outputs are flushed
 * (their backpressure paces the reading); the run stops early once every output has
 * closed (a reader of stdout went away). A write error of an output (a full disk)
 * rejects with that output's error.
 *
 * @example
 * const stats = await runPipeline({
 *   source: createFileSource(['audit.log']),
 *   decoder: createDecoder(),
 *   detector: createDetector(rules, { ruleMatching: 'all', hostname: 'h', fastpath: true }),
 *   outputs: [createStreamOutput(process.stdout, { format: { format: 'json' } })],
 * });
 */
export async function runPipeline(opts: PipelineOptions): Promise<RunStats> {
  const { detector, outputs, onAlert } = opts;
  const one = outputs.length === 1 ? outputs[0] : undefined;
  const write = (alerts: readonly Alert[]): void => {
    for (let i = 0; i < alerts.length; i++) {
      const a = alerts[i] as Alert;
      if (one !== undefined) one.write(a);
      else for (const o of outputs) o.write(a);
      onAlert?.(a);
    }
  };
  const deliver = (rec: AuditRecord): void => write(detector.process(rec));
  const flush = async (): Promise<void> => {
    if (one !== undefined) await one.flush();
    else await Promise.all(outputs.map((o) => o.flush()));
  };
  const stats = await streamRecords({
    source: opts.source,
    decoder: opts.decoder,
    ...(detector.skipLine ? { skipLine: detector.skipLine } : {}),
    ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
    ...(opts.onInputError !== undefined ? { onInputError: opts.onInputError } : {}),
    onRecord: deliver,
    onBatch: flush,
    shouldStop: () => outputs.length > 0 && outputs.every((o) => o.closed),
  });
  if (opts.keepState !== true) write(detector.finish());
  await flush();
  return stats;
}
