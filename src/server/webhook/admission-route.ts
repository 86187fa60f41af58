import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkEventObject, DEFAULT_MAX_DEPTH } from '../../events/index.ts';
import { parseJsonText } from '../../events/parse-json.ts';
import { isObject } from '../../events/validate.ts';
import { type Spool, SpoolUnavailableError } from '../../spool/index.ts';
import type { ServeMetrics } from '../metrics.ts';
import { describeJsonFailure } from './parse-batch.ts';
import { receiveBody, registerPostRoute } from './post-route.ts';
import { type PrecheckOptions, sendError } from './precheck.ts';
import { bodyText } from './read-body.ts';

/** What the admission route needs (the webhook route's options). */
export interface AdmissionOptions extends PrecheckOptions {
  readonly spool: Spool;
  readonly metrics: ServeMetrics;
  readonly cluster?: string;
}

const ROUTE = '/k8s-admission';
const AT = { route: ROUTE, mediaTypes: ['application/json'], draining: false, tlsOnly: true };
// The apiserver sends uids of 36 characters; anything much longer is not one.
const MAX_UID = 256;

/** The versions of AdmissionReview an answer may be given in: the request's own. */
const VERSIONS = new Set(['admission.k8s.io/v1', 'admission.k8s.io/v1beta1']);

/**
 * The answer that lets the request through: the request's uid and `allowed: true`, in the
 * request's AdmissionReview version. Built as text so that its bytes are fixed.
 */
export function allowResponse(uid: string, apiVersion = 'admission.k8s.io/v1'): string {
  return `{"apiVersion":${JSON.stringify(apiVersion)},"kind":"AdmissionReview","response":{"uid":${JSON.stringify(uid)},"allowed":true}}`;
}

/** A review as received, or why it is not one. */
type ParsedReview =
  | { readonly ok: true; readonly review: Record<string, unknown>; readonly uid: string }
  | {
      readonly ok: false;
      readonly code: string;
      readonly message: string;
      readonly line?: number;
      readonly column?: number;
    };

function parseReview(text: string): ParsedReview {
  const parsed = parseJsonText(text, DEFAULT_MAX_DEPTH);
  if (!parsed.ok) return { ok: false, ...describeJsonFailure(text, parsed) };
  const v = parsed.value;
  const request = isObject(v) ? v.request : undefined;
  if (!isObject(v) || v.kind !== 'AdmissionReview' || !isObject(request)) {
    return { ok: false, code: 'NOT_ADMISSION_REVIEW', message: 'expected an AdmissionReview' };
  }
  const uid = request.uid;
  if (typeof uid !== 'string' || uid === '' || uid.length > MAX_UID) {
    return { ok: false, code: 'NO_UID', message: 'request.uid must be a string' };
  }
  return { ok: true, review: v, uid };
}

/**
 * `POST /k8s-admission`: kaudit as a ValidatingWebhook that always allows (what
 * kube-audit-rest does for clusters whose audit flags cannot be set). Each
 * AdmissionReview is stamped with the time it arrived (`requestReceivedTimestamp`, as
 * kube-audit-rest writes it), spooled durably, and answered `allowed: true` with its uid;
 * `k8s_admission` rules run on it afterwards, as for /k8s-audit. A review that cannot be
 * kept (spool full, draining, a failing check) is still allowed, counted and logged:
 * this route never denies and never makes the apiserver wait for detection.
 */
export async function registerAdmissionWebhook(
  app: FastifyInstance,
  o: AdmissionOptions,
): Promise<void> {
  await registerPostRoute(app, ROUTE, o.metrics, (req, reply) => handleReview(req, reply, o));
}

async function handleReview(
  req: FastifyRequest,
  reply: FastifyReply,
  o: AdmissionOptions,
): Promise<FastifyReply> {
  const started = performance.now();
  const received = await receiveBody(req, reply, o, AT);
  if ('sent' in received) return received.sent;
  const body = received.body;
  const parsed = parseReview(bodyText(body));
  if (!parsed.ok) {
    o.metrics.events.inc({ result: 'rejected', reason: parsed.code.toLowerCase() });
    o.onProblem?.('bad_review', { code: parsed.code, remote: req.ip });
    const at = parsed.line === undefined ? {} : { line: parsed.line, column: parsed.column };
    return sendError(reply, 400, parsed.code, parsed.message, at);
  }
  const version = VERSIONS.has(parsed.review.apiVersion as string)
    ? (parsed.review.apiVersion as string)
    : undefined;
  await keepReview(parsed.review, req.ip, o);
  o.metrics.ackLatency.observe({ route: ROUTE }, (performance.now() - started) / 1000);
  return reply.code(200).type('application/json').send(allowResponse(parsed.uid, version));
}

/** Spools the stamped review; a review that cannot be kept is counted, never refused. */
async function keepReview(
  review: Record<string, unknown>,
  remote: string,
  o: AdmissionOptions,
): Promise<void> {
  const stamped = {
    kind: review.kind,
    apiVersion: review.apiVersion,
    request: review.request,
    requestReceivedTimestamp: new Date().toISOString(),
  };
  const problem = checkEventObject(stamped, 'k8s_admission');
  if (problem !== undefined) {
    o.metrics.events.inc({ result: 'rejected', reason: problem.reason });
    o.onProblem?.('bad_review', { code: problem.reason, message: problem.message, remote });
    return;
  }
  if (o.draining()) {
    o.metrics.events.inc({ result: 'rejected', reason: 'draining' });
    o.onProblem?.('review_lost', { code: 'DRAINING', remote });
    return;
  }
  try {
    await o.spool.append({
      events: [JSON.stringify(stamped)],
      origin: `${ROUTE} ${remote}`,
      ...(o.cluster !== undefined ? { cluster: o.cluster } : {}),
    });
    o.metrics.events.inc({ result: 'accepted', reason: '' });
  } catch (err) {
    if (!(err instanceof SpoolUnavailableError)) throw err;
    o.metrics.events.inc({ result: 'rejected', reason: err.code.toLowerCase() });
    o.onProblem?.('review_lost', { code: err.code, message: err.message, remote });
  }
}
