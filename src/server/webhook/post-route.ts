import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServeMetrics } from '../metrics.ts';
import { type PrecheckOptions, type PrecheckRoute, precheck, sendError } from './precheck.ts';
import { BodyError, readBody } from './read-body.ts';

/**
 * Registers a route that takes POST only (other methods: 405 with `Allow: POST`), hands
 * the handler the raw body stream (bodies are read by receiveBody, with our limits and
 * gunzip, not by fastify's JSON parser), and counts its responses by status.
 */
export async function registerPostRoute(
  app: FastifyInstance,
  route: string,
  metrics: ServeMetrics,
  handler: (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>,
): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    scope.post(route, handler);
    scope.route({
      method: ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
      url: route,
      handler: (_req, reply) =>
        sendError(reply.header('Allow', 'POST'), 405, 'METHOD_NOT_ALLOWED', 'use POST'),
    });
  });
  app.addHook('onResponse', async (req, reply) => {
    if (req.routeOptions.url !== route) return;
    metrics.requests.inc({ route, status: String(reply.statusCode) });
  });
}

/** A request's body, or the error answer already sent instead. */
export type Received = { readonly body: Buffer } | { readonly sent: FastifyReply };

/**
 * The checks made before reading (transport, auth, media type, size, draining), then the
 * body, gunzipped and bounded by `maxBodySize`, counted in the route's received bytes.
 */
export async function receiveBody(
  req: FastifyRequest,
  reply: FastifyReply,
  o: PrecheckOptions & { readonly metrics: ServeMetrics },
  at: PrecheckRoute,
): Promise<Received> {
  const refusal = precheck(req, o, at);
  if (refusal !== undefined) {
    for (const [k, v] of Object.entries(refusal.headers ?? {})) reply.header(k, v);
    return { sent: sendError(reply, refusal.status, refusal.code, refusal.message) };
  }
  const gzip = (req.headers['content-encoding'] ?? '').toLowerCase() === 'gzip';
  try {
    const body = await readBody(req.body as NodeJS.ReadableStream as never, gzip, o.maxBodySize);
    o.metrics.bytes.inc({ route: at.route }, body.length);
    return { body };
  } catch (err) {
    if (!(err instanceof BodyError)) throw err;
    return { sent: sendError(reply, err.status, err.code, err.message) };
  }
}
