import type { RejectInfo } from '../events/index.ts';
import { formatLoadResult, type LoadResult } from '../rules/index.ts';
import { CliError, EXIT_FAIL } from './errors.ts';

/** The one line a bad input gets on stderr (the first of its kind per input). */
export function describeReject(info: RejectInfo): string {
  const col = info.column === undefined ? '' : `:${info.column}`;
  return `kaudit: ${info.origin}:${info.line}${col}: ${info.reason}: ${info.message} (further ${info.reason} in this input counted, not shown)\n`;
}

/**
 * Prints a rules load's errors (and its warnings when asked) and throws CliError (exit
 * 1) when it failed; returns the result when it loaded.
 */
export function requireLoaded(
  result: LoadResult,
  stderr: NodeJS.WritableStream,
  warnings = false,
): LoadResult {
  if (!result.ok) {
    stderr.write(formatLoadResult(result, { verbose: false }));
    throw new CliError(`rules failed to load (${result.errors.length} error(s))`, EXIT_FAIL);
  }
  if (warnings && result.warnings.length > 0) {
    stderr.write(formatLoadResult(result, { verbose: true }));
  }
  return result;
}
