import type { FollowState } from './follow/state-file.ts';
import { DEFAULT_MAX_LINE_BYTES, readInputs } from './read-inputs.ts';
import type { Source } from './source.ts';

/** Options of a file source (`kaudit scan` and `kaudit query` inputs). */
export interface FileSourceOptions {
  /** Longest accepted line in bytes (default 4 MiB); longer ones are skipped. */
  readonly maxLineBytes?: number;
  /** Keep reading appended data like `tail -F` until the signal aborts. */
  readonly follow?: boolean;
  /** Follow mode: start at the end of each file (default: read what is there first). */
  readonly fromEnd?: boolean;
  /** Follow mode: resume where a previous run stopped and record where this one does. */
  readonly followState?: FollowState;
  /** Stream read for `-` (default process.stdin). */
  readonly stdin?: NodeJS.ReadableStream;
}

/**
 * Audit log files, directories (their files, oldest first), gzip and `-` for stdin, read
 * one after another, or all at once when followed.
 *
 * @example
 * const source = createFileSource(['/var/log/kubernetes/audit.log'], { follow: true });
 */
export function createFileSource(paths: readonly string[], opts: FileSourceOptions = {}): Source {
  return {
    name: paths.join(', '),
    read: (ctx) =>
      readInputs(paths, {
        reject: ctx.reject,
        maxLineBytes: opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
        ...(opts.follow ? { follow: true, fromStart: opts.fromEnd !== true } : {}),
        ...(opts.follow && opts.followState ? { followState: opts.followState } : {}),
        ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}),
        ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}),
        ...(ctx.onInputError !== undefined ? { onInputError: ctx.onInputError } : {}),
      }),
  };
}
