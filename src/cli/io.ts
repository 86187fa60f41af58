/**
 * Buffered writer for stdout/stderr: alerts are joined and written in chunks (one write
 * per few hundred lines) because a write per alert dominates a scan that alerts a lot.
 * EPIPE (e.g. `kaudit query ... | head`) ends output quietly instead of crashing.
 */
export interface LineWriter {
  line(text: string): void;
  flush(): Promise<void>;
  readonly closed: boolean;
}

const CHUNK = 64 * 1024;

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

export function createLineWriter(stream: NodeJS.WritableStream): LineWriter {
  let buf: string[] = [];
  let size = 0;
  let closed = false;
  let needDrain = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') closed = true;
    else throw err;
  });
  const writeOut = (): boolean => {
    if (buf.length === 0 || closed) return true;
    const text = buf.join('');
    buf = [];
    size = 0;
    if (!stream.write(text)) needDrain = true;
    return !needDrain;
  };
  return {
    get closed() {
      return closed;
    },
    line(text) {
      if (closed) return;
      buf.push(text, '\n');
      size += text.length + 1;
      if (size >= CHUNK) writeOut();
    },
    async flush() {
      writeOut();
      if (needDrain && !closed) await waitForDrain(stream);
      needDrain = false;
    },
  };
}
