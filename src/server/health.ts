import type { FastifyInstance } from 'fastify';
import type { ServeMetrics } from './metrics.ts';

/** What /readyz reports: ready, or the reasons it is not. */
export interface Readiness {
  readonly ready: boolean;
  readonly reasons: readonly string[];
}

/**
 * `/healthz` (the process answers), `/readyz` (rules loaded, spool writable, not
 * draining: 503 with the reasons otherwise) and `/metrics` (Prometheus text format).
 * They answer over plain HTTP too, so probes and scrapers need no client certificate.
 */
export function registerHealth(
  app: FastifyInstance,
  metrics: ServeMetrics,
  readiness: () => Readiness,
  beforeScrape: () => void | Promise<void>,
): void {
  app.get('/healthz', async (_req, reply) => reply.type('text/plain').send('ok\n'));
  app.get('/readyz', async (_req, reply) => {
    const r = readiness();
    return reply.code(r.ready ? 200 : 503).send({ ready: r.ready, reasons: r.reasons });
  });
  app.get('/metrics', async (_req, reply) => {
    await beforeScrape();
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });
}
