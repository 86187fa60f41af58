/** Exit codes of every kaudit command. */
export const EXIT_OK = 0;
/** Alerts at or above --fail-on, load errors, invalid input files. */
export const EXIT_FAIL = 1;
/** Bad usage: unknown option, missing argument, bad value. */
export const EXIT_USAGE = 2;
/**
 * A partial run: an input could not be read, or not to its end (each reported on
 * stderr), and the others were read. Alerts at `--fail-on` still exit 1; a run that
 * could read nothing at all exits 1.
 */
export const EXIT_PARTIAL = 3;

/** What decides the exit code of a command that reads inputs (scan, query, simulate). */
export interface RunOutcome {
  /** An alert at or above `--fail-on`. */
  readonly failOn?: boolean;
  /** Inputs that could not be read, or not to their end. */
  readonly unreadable: number;
  /** Lines read from all inputs. */
  readonly lines: number;
}

/** 1 for `--fail-on` or when nothing could be read, 3 for a partial run, else 0. */
export function runExitCode(r: RunOutcome): number {
  if (r.failOn === true) return EXIT_FAIL;
  if (r.unreadable === 0) return EXIT_OK;
  return r.lines === 0 ? EXIT_FAIL : EXIT_PARTIAL;
}

/** A failure the CLI reports as one line on stderr and turns into an exit code. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAIL,
  ) {
    super(message);
  }
}

/** Throws a usage error (exit 2) for a bad option value. */
export function usageError(message: string): never {
  throw new CliError(message, EXIT_USAGE);
}
