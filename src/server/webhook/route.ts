import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Spool, SpoolUnavailableError } from '../../spool/index.ts';
import type { ServeMetrics } from '../metrics.ts';
import { type AuthVerdict, checkWebhookAuth, type WebhookAuth } from './auth.ts';
import { type ParsedBatch, parseAuditBatch } from './parse-batch.ts';
import { BodyError, readBody } from './read-body.ts';

/** What the webhook route needs. */
export interface WebhookOptions {
  readonly spool: Spool;
  readonly metrics: ServeMetrics;
  readonly auth: WebhookAuth;
  /** Largest body, before and after gunzip. */
  readonly maxBodySize: number;
  /** Largest event: bigger elements are refused by index. */
  readonly maxEventSize: number;
  /** Cluster name given to every batch (the config's `cluster`). */
  readonly cluster?: string;
  /** Whether the listener has TLS: then plain-HTTP requests are refused here. */
  readonly tls: boolean;
  /** Told once per problem kind, for the operator's log (never once per event). */
  readonly onProblem?: (kind: string, detail: Record<string, unknown>) => void;
  /** Set while the server drains: new batches get 503. */
  readonly draining: () => boolean;
}

/** Element problems echoed in a response: enough to debug a client, bounded. */
const MAX_REPORTED = 20;
const ROUTE = '/k8s-audit';

function sendError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): FastifyReply {
  return reply.code(status).send({ error: { code, message, ...extra } });
}

function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return type === 'application/json';
}

const AUTH_MESSAGE: Readonly<Record<AuthVerdict, string>> = {
  ok: '',
  not_required: '',
  missing: 'credentials required: a bearer token or a client certificate',
  invalid: 'invalid bearer token',
};

/**
 * `POST /k8s-audit`: kube-apiserver's webhook backend. The body (EventList, Event or an
 * array; plain or gzip) is checked element by element; the good events are stored in the
 * spool, durably, before the 200; bad elements are counted and listed in the response.
 * A full spool or a failing disk answers 503 with Retry-After, so the apiserver keeps
 * the batch and retries; nothing is acknowledged that was not kept.
 */
export async function registerWebhook(app: FastifyInstance, o: WebhookOptions): Promise<void> {
  const { metrics } = o;
  await app.register(async (scope) => {
    // The body is read here, with our limits and gunzip, not by fastify's JSON parser.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    scope.post(ROUTE, (req, reply) => handle(req, reply, o));
    scope.route({
      method: ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
      url: ROUTE,
      handler: (_req, reply) =>
        sendError(reply.header('Allow', 'POST'), 405, 'METHOD_NOT_ALLOWED', 'use POST'),
    });
  });
  app.addHook('onResponse', async (req, reply) => {
    if (req.routeOptions.url !== ROUTE) return;
    metrics.requests.inc({ route: ROUTE, status: String(reply.statusCode) });
  });
}

/** A refusal decided from the request line and headers alone. */
interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Checks what can be checked before reading the body: transport, auth, type, size, state. */
function precheck(req: FastifyRequest, o: WebhookOptions): Refusal | undefined {
  const raw = req.raw as typeof req.raw & { kauditPlain?: boolean };
  if (raw.kauditPlain === true) {
    return {
      status: 400,
      code: 'HTTPS_REQUIRED',
      message: 'this listener takes audit events over HTTPS only',
    };
  }
  const verdict = checkWebhookAuth(o.auth, req.headers.authorization, req.raw.socket);
  if (verdict === 'missing' || verdict === 'invalid') {
    o.onProblem?.('auth', { verdict, remote: req.ip });
    return {
      status: 401,
      code: 'UNAUTHORIZED',
      message: AUTH_MESSAGE[verdict],
      headers: { 'WWW-Authenticate': 'Bearer realm="kaudit"' },
    };
  }
  if (!isJson(req.headers['content-type'])) {
    return {
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'Content-Type must be application/json',
    };
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    return {
      status: 415,
      code: 'UNSUPPORTED_ENCODING',
      message: 'Content-Encoding must be gzip or none',
    };
  }
  if (Number(req.headers['content-length'] ?? 0) > o.maxBodySize) {
    return { status: 413, code: 'BODY_TOO_LARGE', message: `body over ${o.maxBodySize} bytes` };
  }
  if (o.draining()) {
    return {
      status: 503,
      code: 'DRAINING',
      message: 'shutting down; retry against another replica',
      headers: { 'Retry-After': '5' },
    };
  }
  return undefined;
}

async function handle(
  req: FastifyRequest,
  reply: FastifyReply,
  o: WebhookOptions,
): Promise<FastifyReply> {
  const started = performance.now();
  const refusal = precheck(req, o);
  if (refusal !== undefined) {
    for (const [k, v] of Object.entries(refusal.headers ?? {})) reply.header(k, v);
    return sendError(reply, refusal.status, refusal.code, refusal.message);
  }
  const gzip = (req.headers['content-encoding'] ?? '').toLowerCase() === 'gzip';
  let body: Buffer;
  try {
    body = await readBody(req.body as NodeJS.ReadableStream as never, gzip, o.maxBodySize);
  } catch (err) {
    if (!(err instanceof BodyError)) throw err;
    return sendError(reply, err.status, err.code, err.message);
  }
  o.metrics.bytes.inc({ route: ROUTE }, body.length);
  // Invalid UTF-8 becomes U+FFFD, as Go's decoder does for the apiserver's own input.
  const parsed: ParsedBatch = parseAuditBatch(body.toString('utf8'), undefined, o.maxEventSize);
  if (!parsed.ok) {
    o.metrics.events.inc({ result: 'rejected', reason: parsed.code.toLowerCase() });
    o.onProblem?.('bad_body', { code: parsed.code, remote: req.ip });
    const at = parsed.line === undefined ? {} : { line: parsed.line, column: parsed.column };
    return sendError(reply, 400, parsed.code, parsed.message, at);
  }
  for (const r of parsed.rejects) o.metrics.events.inc({ result: 'rejected', reason: r.reason });
  if (parsed.rejects.length > 0) {
    o.onProblem?.('bad_elements', {
      count: parsed.rejects.length,
      first: parsed.rejects[0],
      remote: req.ip,
    });
  }
  if (parsed.events.length > 0) {
    try {
      await o.spool.append({
        events: parsed.events,
        origin: `${ROUTE} ${req.ip}`,
        ...(o.cluster !== undefined ? { cluster: o.cluster } : {}),
      });
    } catch (err) {
      if (!(err instanceof SpoolUnavailableError)) throw err;
      o.onProblem?.('spool', { code: err.code, message: err.message });
      reply.header('Retry-After', String(err.retryAfter));
      return sendError(reply, 503, err.code, err.message);
    }
    o.metrics.events.inc({ result: 'accepted', reason: '' }, parsed.events.length);
  }
  o.metrics.ackLatency.observe({ route: ROUTE }, (performance.now() - started) / 1000);
  return reply.code(200).send({
    accepted: parsed.events.length,
    rejected: parsed.rejects.length,
    ...(parsed.rejects.length > 0 ? { errors: parsed.rejects.slice(0, MAX_REPORTED) } : {}),
  });
}
