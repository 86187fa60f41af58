import type { Alert } from '../engine/index.ts';
import type { AlertFilterSpec } from './alert-filter.ts';
import type { AlertFormatOptions } from './alert-format.ts';

/** Counters every output keeps; /metrics and `--summary` read them. */
export interface OutputStats {
  /** Alerts handed to the destination (written, posted, piped). */
  delivered: number;
  /** Alerts that failed to be delivered after every retry. */
  failed: number;
  /** Alerts dropped without trying: the output's queue was full or it was closed. */
  dropped: number;
  /** Alerts written and not settled yet: waiting in the queue or being delivered. */
  pending: number;
  /** Delivery attempts that were made again after a failure (http). */
  retries: number;
  /**
   * Times a `flush` reached its time bound with alerts still pending: the output went
   * "stalled" and later flushes stop waiting until it has caught up (see DeliveryQueue).
   */
  stalls: number;
}

/**
 * How an output tells its owner about trouble and timing. The CLI prints messages on
 * stderr; `kaudit serve` logs them and feeds /metrics.
 */
export interface OutputHooks {
  /**
   * A delivery or write error, a restart, or a line a program wrote on stderr: text
   * meant for an operator, bounded in length and rate (see createMessageReporter).
   */
  readonly onMessage?: (output: string, message: string) => void;
  /** `count` alerts were delivered `ms` milliseconds after they were written. */
  readonly onLatency?: (output: string, ms: number, count: number) => void;
}

/**
 * How an output that writes one line per alert renders it: with these options, for the
 * alerts this filter lets through. Plain data: a parallel scan renders the lines in its
 * worker threads and hands them over through `writeRendered`.
 */
export interface RenderChannel {
  readonly format: AlertFormatOptions;
  readonly filter?: AlertFilterSpec;
}

/**
 * Where alerts go: a terminal, a file, an HTTP receiver, a program, a store. An output
 * is the last stage of the pipeline (source → decode → engine → outputs).
 *
 * `write` never throws and never waits: an output that cannot keep up queues (bounded)
 * and drops what does not fit, counting it, so that a slow or dead destination never
 * holds up detection or the other outputs. `flush` resolves once everything written
 * before it was delivered, failed or dropped; the pipeline awaits it before it commits
 * a batch (the webhook's spool) or reads the next one (backpressure for stdout). Queued
 * outputs (file, http, program) bound that wait: past their flush timeout they resolve
 * with alerts still pending (`stats.pending`), and stop waiting until they caught up;
 * docs/outputs.md states the guarantee. `flush` rejects only when the output can never
 * deliver again and the run should end with a message (stdout on a full disk).
 */
export interface Output {
  /** Short name for logs and metrics, e.g. `stdout`, `file:/var/log/alerts.json`. */
  readonly name: string;
  write(alert: Alert): void;
  flush(): Promise<void>;
  /** Flushes, then releases the destination; writes after close are dropped. */
  close(): Promise<void>;
  readonly stats: OutputStats;
  /**
   * True once the destination went away for good (a reader of stdout left: `| head`):
   * a run whose outputs are all closed can stop.
   */
  readonly closed: boolean;
  /** Set by line outputs whose lines can be rendered elsewhere (see RenderChannel). */
  readonly channel?: RenderChannel;
  /** Takes `count` alerts already rendered for `channel`, each line ending in '\n'. */
  writeRendered?(text: string, count: number): void;
  /**
   * Reopens the destination (a file output after logrotate moved its file): the CLI and
   * `kaudit serve` call it on SIGHUP. Resolves once the new destination is open.
   */
  reopen?(): Promise<void>;
  /**
   * After a restart: how many of `alerts` (the oldest deliveries not recorded as done, in
   * order) are already at the destination, because the process died after writing them
   * and before recording it. The caller skips them, so a crash does not repeat them.
   * Only outputs that can read their destination back implement it (the file output).
   */
  resume?(alerts: readonly Alert[]): Promise<number>;
}

/** Fresh zeroed counters. */
export function createOutputStats(): OutputStats {
  return { delivered: 0, failed: 0, dropped: 0, pending: 0, retries: 0, stalls: 0 };
}
