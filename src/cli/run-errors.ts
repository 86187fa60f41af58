import { OutputWriteError } from '../outputs/index.ts';
import { ParallelScanError } from '../pipeline/index.ts';
import { FollowStateError, InputError } from '../sources/index.ts';
import { CliError, EXIT_FAIL } from './errors.ts';

/**
 * Runs a command's work and turns the errors a run can end with (an input that cannot
 * be read, an output that cannot be written, a failed scanning thread, a follow state
 * that cannot be written) into one-line
 * CliErrors; anything else is a bug and keeps its stack.
 */
export async function withRunErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (
      err instanceof InputError ||
      err instanceof OutputWriteError ||
      err instanceof ParallelScanError
    ) {
      throw new CliError(`kaudit: ${err.message}`, EXIT_FAIL);
    }
    // The follow state cannot be written: stop rather than go on without it.
    if (err instanceof FollowStateError) {
      throw new CliError(`kaudit: --state-file ${err.message} (${err.code})`, EXIT_FAIL);
    }
    throw err;
  }
}
