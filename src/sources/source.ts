import type { RejectFn } from '../events/index.ts';
import type { InputError } from './input-error.ts';
import type { LineBatch } from './line-splitter.ts';

/** What a source needs from the run it feeds. */
export interface SourceContext {
  /**
   * Counts and reports a line the source cannot hand on (line_too_long), and lines read with U+FFFD (utf8_replaced);
   * the line stays in its batch as '' so that line numbers need no gaps.
   */
  readonly reject: RejectFn;
  /** Stops reading (follow mode, a server shutting down). */
  readonly signal?: AbortSignal;
  /**
   * Takes an input that cannot be read (missing, unreadable, broken gzip, a read error)
   * and the source goes on with its next input; without it the source throws.
   */
  readonly onInputError?: (err: InputError) => void;
}

/**
 * A batch of lines from a source. Sources whose data must be acknowledged (the webhook's
 * spool) give a `commit`, which the pipeline calls once the batch's alerts are delivered
 * to the outputs (flushed): what is committed is never read again.
 */
export interface SourceBatch extends LineBatch {
  /** The cluster these lines come from, when the source knows it (a webhook sender). */
  readonly cluster?: string;
  commit?(): Promise<void>;
}

/**
 * Where audit events come from, as batches of lines in input order: files, directories,
 * gzip, stdin, a followed file, a byte range of a file (a parallel scan), the webhook's
 * spool. A source only produces text with its origin; decoding is the next stage's job.
 * An input that cannot be read goes to the context's `onInputError` (or is thrown as an
 * InputError from the iterator when there is none).
 */
export interface Source {
  /** For messages: a path, `-`, or a description such as `3 files`. */
  readonly name: string;
  read(ctx: SourceContext): AsyncIterable<SourceBatch> | Iterable<SourceBatch>;
}
