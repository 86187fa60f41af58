import net from 'node:net';
import tls from 'node:tls';

/** How a stalled connection ended. */
export interface StallOutcome {
  /** ms from connecting to the server closing the connection. */
  readonly closedAfterMs: number;
  /** What the server sent before closing (a 408, or nothing). */
  readonly received: string;
  /** False when our own guard had to close it: the server never did. */
  readonly closedByServer: boolean;
}

/** A connection a test opens and leaves hanging; `outcome` resolves when it ends. */
export interface StalledClient {
  readonly outcome: Promise<StallOutcome>;
  /** Resolves once the bytes to send (if any) were written. */
  readonly started: Promise<void>;
}

export interface StallOptions {
  readonly port: number;
  /** Complete a TLS handshake first (trusting `ca`), then send over TLS. */
  readonly tls?: { readonly ca: Buffer };
  /** Raw bytes written right after connecting (or after the handshake). */
  readonly send?: string | Buffer;
  /** Written one byte at a time, this many ms apart, after `send` (a slowloris). */
  readonly trickle?: { readonly text: string; readonly everyMs: number };
  /** Our own limit: past it we close the connection and report closedByServer false. */
  readonly guardMs: number;
}

/**
 * Opens a connection to 127.0.0.1 that sends a little (or nothing) and then stalls, as a
 * slow or stuck client does, and reports when and how the server ended it.
 */
export function openStalledClient(o: StallOptions): StalledClient {
  const t0 = Date.now();
  let received = '';
  let guard: NodeJS.Timeout | undefined;
  let trickler: NodeJS.Timeout | undefined;
  let byGuard = false;
  let markStarted: () => void = () => {};
  const started = new Promise<void>((r) => {
    markStarted = r;
  });
  const socket: net.Socket =
    o.tls === undefined
      ? net.connect(o.port, '127.0.0.1')
      : tls.connect({ port: o.port, host: '127.0.0.1', ca: o.tls.ca, servername: 'localhost' });
  const ready = o.tls === undefined ? 'connect' : 'secureConnect';
  socket.once(ready, () => {
    if (o.send !== undefined) socket.write(o.send);
    if (o.trickle !== undefined) {
      const bytes = Buffer.from(o.trickle.text);
      let i = 0;
      trickler = setInterval(() => {
        if (i < bytes.length && !socket.destroyed) socket.write(bytes.subarray(i, ++i));
      }, o.trickle.everyMs);
    }
    markStarted();
  });
  socket.on('data', (d: Buffer) => {
    received += d.toString('latin1');
  });
  socket.on('error', () => {});
  const outcome = new Promise<StallOutcome>((resolve) => {
    guard = setTimeout(() => {
      byGuard = true;
      socket.destroy();
    }, o.guardMs);
    socket.once('close', () => {
      clearTimeout(guard);
      clearInterval(trickler);
      markStarted();
      resolve({ closedAfterMs: Date.now() - t0, received, closedByServer: !byGuard });
    });
  });
  return { outcome, started };
}
