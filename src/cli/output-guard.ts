import { OutputWriteError } from '../outputs/index.ts';

/** Watches a stream the CLI writes to, so that a write error is a message, not a crash. */
export interface OutputGuard {
  /** The first write error other than a reader going away (EPIPE), once it was emitted. */
  readonly error: OutputWriteError | undefined;
  /** Waits for errors of writes already made to be emitted (they come a tick later). */
  settle(): Promise<void>;
  dispose(): void;
}

/**
 * Listens for write errors on `stream`: without a listener, a write to a full disk
 * (`kaudit policy lint p.yaml > /dev/full`) emits an 'error' nobody handles and Node.js
 * ends the process with a stack trace. A reader that goes away (`| head`) is not an
 * error for the run, as for every Unix tool.
 */
export function guardOutput(stream: NodeJS.WritableStream): OutputGuard {
  let error: OutputWriteError | undefined;
  const onError = (err: NodeJS.ErrnoException): void => {
    const code = err.code ?? 'EIO';
    if (code === 'EPIPE' || error !== undefined) return;
    const why = code === 'ENOSPC' ? 'no space left on device' : err.message;
    error = new OutputWriteError(code, `cannot write output: ${why}`);
  };
  stream.on('error', onError);
  return {
    get error() {
      return error;
    },
    settle: () => new Promise<void>((resolve) => setImmediate(resolve)),
    dispose() {
      stream.removeListener('error', onError);
    },
  };
}
