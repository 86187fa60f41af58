import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';

/** TLS material, already read from files. */
export interface TlsMaterial {
  readonly cert: Buffer;
  readonly key: Buffer;
  /** CA whose client certificates are accepted (mutual TLS), if any. */
  readonly clientCa?: Buffer;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** Timeouts that keep slow or stuck clients from holding connections and memory. */
export interface ListenerTimeouts {
  /** Whole request, headers and body (Node's requestTimeout). */
  readonly requestMs: number;
  /** Headers alone (slowloris). */
  readonly headersMs: number;
  /** An idle keep-alive connection. */
  readonly keepAliveMs: number;
  /** A connection that sends nothing at all (before TLS or HTTP starts). */
  readonly firstByteMs: number;
}

export const DEFAULT_TIMEOUTS: ListenerTimeouts = {
  requestMs: 30_000,
  headersMs: 10_000,
  keepAliveMs: 65_000,
  firstByteMs: 10_000,
};

const TLS_HANDSHAKE = 0x16;

function applyTimeouts(s: Server, t: ListenerTimeouts): void {
  s.requestTimeout = t.requestMs;
  s.headersTimeout = t.headersMs;
  s.keepAliveTimeout = t.keepAliveMs;
  // How often Node checks the two timeouts above (default 30 s is too coarse).
  (s as Server & { connectionsCheckingInterval?: number }).connectionsCheckingInterval = 1000;
}

/**
 * One listener for HTTP and HTTPS. Without TLS material it is a plain HTTP server. With
 * it, each connection's first byte decides: a TLS handshake goes to the HTTPS server,
 * anything else to the HTTP one, whose requests are marked `kauditPlain` so routes can
 * refuse them (only health and metrics answer over plain HTTP then).
 */
export function createListener(
  handler: Handler,
  tls: TlsMaterial | undefined,
  timeouts: ListenerTimeouts = DEFAULT_TIMEOUTS,
): NetServer {
  const http = createHttpServer((req, res) => {
    (req as IncomingMessage & { kauditPlain?: boolean }).kauditPlain = tls !== undefined;
    handler(req, res);
  });
  applyTimeouts(http, timeouts);
  if (tls === undefined) return http;
  const https = createHttpsServer(
    {
      cert: tls.cert,
      key: tls.key,
      ...(tls.clientCa !== undefined
        ? // The certificate is checked per route (a missing one may still use a token).
          { ca: tls.clientCa, requestCert: true, rejectUnauthorized: false }
        : {}),
      minVersion: 'TLSv1.2',
      // A client that starts a handshake and stalls (Node's default waits 120 s).
      handshakeTimeout: timeouts.firstByteMs,
    },
    handler,
  );
  applyTimeouts(https as unknown as Server, timeouts);
  const server = createNetServer((socket: Socket) => {
    socket.setTimeout(timeouts.firstByteMs, () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.setTimeout(0);
      socket.pause();
      socket.unshift(first);
      (first[0] === TLS_HANDSHAKE ? https : http).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
    socket.on('error', () => socket.destroy());
  });
  const both = [http, https as unknown as Server];
  // Node arms a server's header and request timeouts, and tracks its connections (for
  // closeIdleConnections), when the server emits 'listening'. These two never listen
  // themselves: without this, a stalled HTTPS client was never timed out and SIGTERM
  // waited for every idle keep-alive connection to time out (65 s).
  server.on('listening', () => {
    for (const s of both) s.emit('listening');
  });
  // fastify closes idle keep-alive connections on shutdown through these.
  Object.assign(server, {
    closeIdleConnections: () => {
      for (const s of both) s.closeIdleConnections();
    },
    closeAllConnections: () => {
      for (const s of both) s.closeAllConnections();
    },
  });
  return server;
}
