import { isAscii } from 'node:buffer';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Spool, SpoolUnavailableError } from '../../spool/index.ts';
import type { ServeMetrics } from '../metrics.ts';
import { CLUSTER_NAME, tokenCluster, type WebhookAuth } from './auth.ts';
import { type ParsedBatch, parseAuditBatch, parseNdjsonBatch } from './parse-batch.ts';
import { receiveBody, registerPostRoute } from './post-route.ts';
import { mediaType, sendError } from './precheck.ts';
import { bodyText, joinSpans } from './read-body.ts';

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
/** The same, naming the sender's cluster: one deployment takes many clusters. */
const CLUSTER_ROUTE = '/k8s-audit/:cluster';

/** What each media type accepted here is parsed as. */
type BatchParser = (text: string, maxEventSize: number) => ParsedBatch;
const parseJsonBatch: BatchParser = (t, max) => parseAuditBatch(t, undefined, max);
const PARSERS: Readonly<Record<string, BatchParser>> = {
  'application/json': parseJsonBatch,
  'application/x-ndjson': (t, max) => parseNdjsonBatch(t, undefined, max),
};
const MEDIA_TYPES = Object.keys(PARSERS);

/**
 * `POST /k8s-audit`: kube-apiserver's webhook backend, and log shippers' HTTP outputs. The
 * body (EventList, Event, an array of events or shipper records, or NDJSON; plain or
 * gzip) is checked element by element; the good events are stored in the
 * spool, durably, before the 200; bad elements are counted and listed in the response.
 * A full spool or a failing disk answers 503 with Retry-After, so the apiserver keeps
 * the batch and retries; nothing is acknowledged that was not kept.
 */
export async function registerWebhook(app: FastifyInstance, o: WebhookOptions): Promise<void> {
  await registerPostRoute(app, ROUTE, o.metrics, (req, reply) => handle(req, reply, o));
  // The cluster: the path's, else the token's (`TOKEN CLUSTER` in --token-file), else the
  // configured one (handle), so one deployment can tell many clusters apart.
  await registerPostRoute(app, CLUSTER_ROUTE, o.metrics, async (req, reply) => {
    const cluster = (req.params as { cluster?: string }).cluster ?? '';
    if (!CLUSTER_NAME.test(cluster)) {
      sendError(
        reply,
        404,
        'BAD_CLUSTER',
        `cluster in the path: expected letters, digits, '.', '_' or '-' (at most 63), got ${JSON.stringify(cluster.slice(0, 80))}`,
      );
      return reply;
    }
    return handle(req, reply, o, cluster);
  });
}

async function handle(
  req: FastifyRequest,
  reply: FastifyReply,
  o: WebhookOptions,
  pathCluster?: string,
): Promise<FastifyReply> {
  const started = performance.now();
  const received = await receiveBody(req, reply, o, {
    route: ROUTE,
    mediaTypes: MEDIA_TYPES,
    draining: true,
  });
  if ('sent' in received) return received.sent;
  const body = received.body;
  const parse = PARSERS[mediaType(req.headers['content-type'])] ?? parseJsonBatch;
  const ascii = isAscii(body);
  const parsed: ParsedBatch = parse(bodyText(body, ascii), o.maxEventSize);
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
    const cluster = pathCluster ?? tokenCluster(o.auth, req.headers.authorization) ?? o.cluster;
    try {
      await o.spool.append({
        events: parsed.events,
        // ASCII: the text's offsets are the body's byte offsets.
        ...(ascii && parsed.spans !== undefined ? { payload: joinSpans(body, parsed.spans) } : {}),
        origin: `${ROUTE} ${req.ip}`,
        ...(cluster !== undefined ? { cluster } : {}),
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
