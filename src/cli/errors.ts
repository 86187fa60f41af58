/** Exit codes of every kaudit command. */
export const EXIT_OK = 0;
/** Alerts at or above --fail-on, load errors, invalid input files. */
export const EXIT_FAIL = 1;
/** Bad usage: unknown option, missing argument, bad value. */
export const EXIT_USAGE = 2;

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
