/**
 * Buffered line writer for stdout, stderr or a file stream: lines are joined and written
 * in chunks (one write per few hundred lines) because a write per alert dominates a scan
 * that alerts a lot. A reader that goes away (EPIPE: `kaudit query ... | head`) ends
 * output quietly; any other write error (ENOSPC on a full disk, EIO) is kept and makes
 * `flush` reject, so the caller ends with one clear message instead of a stack trace.
 */
export interface LineWriter {
  line(text: string): void;
  /** Appends text that already ends with its newline(s). */
  text(text: string): void;
  /** Writes what is buffered and waits for the stream to drain; rejects on a write error. */
  flush(): Promise<void>;
  /** True once the reader went away or writing failed: further lines are dropped. */
  readonly closed: boolean;
  /** The write error, if writing failed (not set for EPIPE). */
  readonly error: Error | undefined;
}

const CHUNK = 64 * 1024;

/** A write error that ends output, with the errno code (ENOSPC, EIO, ...). */
export class OutputWriteError extends Error {
  override readonly name = 'OutputWriteError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Resolves when `stream` can take more writes, or can never again: a reader that goes
 * away (`kaudit scan ... | head`) ends the stream with an error or a close, not with
 * 'drain', and waiting for 'drain' alone left the process to end on an unsettled await.
 */
export function waitForDrain(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      stream.removeListener('drain', done);
      stream.removeListener('error', done);
      stream.removeListener('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('error', done);
    stream.once('close', done);
  });
}

function describeWriteError(err: NodeJS.ErrnoException): OutputWriteError {
  const code = err.code ?? 'EIO';
  const why = code === 'ENOSPC' ? 'no space left on device' : err.message;
  return new OutputWriteError(code, `cannot write output: ${why}`);
}

export function createLineWriter(stream: NodeJS.WritableStream): LineWriter {
  let buf: string[] = [];
  let size = 0;
  let closed = false;
  let error: OutputWriteError | undefined;
  let needDrain = false;
  // Never rethrows: an error listener that throws takes the process down from inside
  // the stream's machinery, with a stack trace instead of a message.
  stream.on('error', (err: NodeJS.ErrnoException) => {
    closed = true;
    if (err.code !== 'EPIPE') error ??= describeWriteError(err);
  });
  const writeOut = (): void => {
    if (buf.length === 0 || closed) return;
    const text = buf.join('');
    buf = [];
    size = 0;
    if (!stream.write(text)) needDrain = true;
  };
  const add = (text: string): void => {
    if (closed) return;
    buf.push(text);
    size += text.length;
    if (size >= CHUNK) writeOut();
  };
  return {
    get closed() {
      return closed;
    },
    get error() {
      return error;
    },
    line(text) {
      if (closed) return;
      buf.push(text, '\n');
      size += text.length + 1;
      if (size >= CHUNK) writeOut();
    },
    text: add,
    async flush() {
      writeOut();
      if (needDrain && !closed) await waitForDrain(stream);
      needDrain = false;
      if (error !== undefined) throw error;
    },
  };
}
