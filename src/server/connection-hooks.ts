import type { FastifyInstance } from 'fastify';

/** What plain HTTP may still reach on a TLS listener: the probes and the scrape. */
const PLAIN_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

export interface ConnectionHookOptions {
  /** Whether the listener has TLS (plain-HTTP requests are then marked by it). */
  readonly tls: boolean;
  /** True once the server is shutting down. */
  readonly draining: () => boolean;
}

/**
 * Hooks on every request, whatever plugin serves it:
 * - with TLS on, plain HTTP reaches /healthz, /readyz and /metrics only: the webhook, the
 *   API and the UI carry tokens and session cookies, which must not travel in clear text;
 * - while draining, every answer closes its connection: closing the server only closes
 *   the connections idle at that moment, and a keep-alive one that was busy (the
 *   apiserver's) would then hold the exit for its 65 s idle timeout.
 */
export function registerConnectionHooks(app: FastifyInstance, o: ConnectionHookOptions): void {
  if (o.tls) {
    app.addHook('onRequest', async (req, reply) => {
      if ((req.raw as { kauditPlain?: boolean }).kauditPlain !== true) return;
      if (PLAIN_PATHS.has(req.url.split('?', 1)[0] as string)) return;
      return reply.code(400).send({
        error: {
          code: 'HTTPS_REQUIRED',
          message:
            'this listener takes HTTPS; plain HTTP answers /healthz, /readyz and /metrics only',
        },
      });
    });
  }
  app.addHook('onSend', async (_req, reply, payload) => {
    if (o.draining()) reply.header('connection', 'close');
    return payload;
  });
}
