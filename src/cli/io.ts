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
      if (needDrain && !closed) {
        await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
      }
      needDrain = false;
    },
  };
}
