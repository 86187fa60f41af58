import { fstatSync } from 'node:fs';
import { createDecodeStats, createRejectFn, type RejectFn } from '../events/index.ts';
import { openFileChunks, readChunks } from './chunks.ts';
import type { FollowState } from './follow/state-file.ts';
import { followFile } from './follow-file.ts';
import { InputError, toInputError } from './input-error.ts';
import { joinJsonDocument } from './json-document.ts';
import { type LineBatch, LineSplitter } from './line-splitter.ts';
import { type InputEntry, type InputErrorSink, listInputs } from './list-inputs.ts';
import { mergeAsync } from './merge.ts';

export type { LineBatch } from './line-splitter.ts';

/** How to read the inputs. */
export interface ReadOptions {
  /** Longest accepted line in bytes (default 4 MiB); longer ones are skipped. */
  readonly maxLineBytes?: number;
  /** Keep reading appended data like `tail -F` until `signal` aborts. */
  readonly follow?: boolean;
  /** Follow mode: read the existing content first (default true); else start at the end. */
  readonly fromStart?: boolean;
  /**
   * Follow mode: where each file was read up to by a previous run, and where this run's
   * committed positions go (`--state-file`). A file with a position resumes after it.
   */
  readonly followState?: FollowState;
  readonly signal?: AbortSignal;
  /** Counts and reports line_too_long and utf8_replaced (default: counted nowhere). */
  readonly reject?: RejectFn;
  /** Stream read for `-` (default process.stdin). */
  readonly stdin?: NodeJS.ReadableStream;
  /**
   * Takes an input that cannot be read (missing, unreadable, a directory on stdin, a
   * truncated or corrupt gzip, a read error) and reading goes on with the next input.
   * Without it, the first such input throws InputError.
   */
  readonly onInputError?: (err: InputError) => void;
}

export const DEFAULT_MAX_LINE_BYTES = 4 * 1024 * 1024;

type Reject = RejectFn;

/**
 * Stdin that is a directory (`kaudit scan < /`) reads as an empty stream in Node.js,
 * which would pass for an empty log: it is an error instead.
 */
function checkStdin(stream: NodeJS.ReadableStream): void {
  const fd = (stream as { fd?: unknown }).fd;
  if (typeof fd !== 'number') return;
  let isDir = false;
  try {
    isDir = fstatSync(fd).isDirectory();
  } catch {
    // A closed or odd descriptor: reading it reports what is wrong.
  }
  if (isDir) throw new InputError('EISDIR', '-', 'stdin');
}

/** Reads one input to its end. */
async function* readOnce(
  entry: InputEntry,
  opts: ReadOptions,
  maxLineBytes: number,
  reject: Reject,
): AsyncGenerator<LineBatch> {
  let chunks: AsyncGenerator<Buffer>;
  if (entry.kind === 'stdin') {
    const stream = opts.stdin ?? process.stdin;
    checkStdin(stream);
    chunks = readChunks(stream, '-');
  } else {
    chunks = await openFileChunks(entry.path);
  }
  const splitter = new LineSplitter(entry.path, maxLineBytes, reject);
  try {
    for await (const chunk of chunks) {
      const batch = splitter.push(chunk);
      if (batch !== undefined) yield batch;
      if (opts.signal?.aborted) return;
    }
  } finally {
    await chunks.return(undefined);
  }
  const last = splitter.end();
  if (last !== undefined) yield last;
}

/** Reads one input, following it when asked and when it can grow (not stdin or gzip). */
function readEntry(
  entry: InputEntry,
  opts: ReadOptions,
  maxLineBytes: number,
  reject: Reject,
): AsyncGenerator<LineBatch> {
  if (opts.follow === true && entry.kind === 'file' && !entry.path.endsWith('.gz')) {
    const newSplitter = (origin: string) => new LineSplitter(origin, maxLineBytes, reject);
    const state = opts.followState;
    const resume = state?.get(entry.path);
    return followFile(entry.path, newSplitter, {
      fromStart: opts.fromStart ?? true,
      ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
      ...(resume !== undefined ? { resume } : {}),
      ...(state !== undefined ? { onCommit: (p) => state.commit(entry.path, p) } : {}),
    });
  }
  return joinJsonDocument(readOnce(entry, opts, maxLineBytes, reject), maxLineBytes, reject);
}

/**
 * The batches of one input; when it fails (at open or half way, as a truncated gzip
 * does), what it yielded stands and the failure goes to `onError` rather than ending
 * the whole read.
 */
async function* reportingFailure(
  batches: AsyncGenerator<LineBatch>,
  path: string,
  onError: InputErrorSink,
): AsyncGenerator<LineBatch> {
  if (onError === undefined) {
    yield* batches;
    return;
  }
  try {
    yield* batches;
  } catch (err) {
    onError(toInputError(err, path));
  }
}

/**
 * Reads audit log inputs as batches of lines. `-` is stdin; a directory stands for its
 * regular files, oldest mtime first (not recursive, as Falco); gzip input (`*.gz` or
 * gzip magic bytes) is decompressed. Inputs are read one after another, or all at once
 * in follow mode. A pretty-printed JSON document (an export printed by aws, gcloud, jq) is
 * handed on as one line (json-document.ts). An input that cannot be read goes to `onInputError` and the next one
 * is read (without `onInputError` it throws InputError from the iterator); bad lines are
 * counted (line_too_long), left as '' in their batch, and reading goes on.
 *
 * @example
 * for await (const b of readInputs(['audit.log'])) for (const l of b.lines) decoder.decodeLine(l, b.origin, b.firstLine)
 */
export async function* readInputs(
  paths: readonly string[],
  opts: ReadOptions = {},
): AsyncGenerator<LineBatch> {
  const maxLineBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const reject = opts.reject ?? createRejectFn(createDecodeStats(), undefined);
  const onError = opts.onInputError;
  const entries = await listInputs(paths, onError);
  const read = (e: InputEntry) =>
    reportingFailure(readEntry(e, opts, maxLineBytes, reject), e.path, onError);
  if (opts.follow === true && entries.length > 1) {
    yield* mergeAsync(entries.map(read));
    return;
  }
  for (const entry of entries) {
    if (opts.signal?.aborted) return;
    yield* read(entry);
  }
}
