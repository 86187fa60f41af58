import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AuthVerdict, checkWebhookAuth, type WebhookAuth } from './auth.ts';

/** What the checks made before reading a body need from the route's options. */
export interface PrecheckOptions {
  readonly auth: WebhookAuth;
  readonly maxBodySize: number;
  readonly tls: boolean;
  readonly onProblem?: (kind: string, detail: Record<string, unknown>) => void;
  readonly draining: () => boolean;
}

/** What differs between the routes that take events. */
export interface PrecheckRoute {
  readonly route: string;
  /** The media types the route reads. */
  readonly mediaTypes: readonly string[];
  /** Whether a draining server refuses the request (503) before reading it. */
  readonly draining: boolean;
  /** Whether the route needs TLS even when the listener has none (the apiserver's webhooks). */
  readonly tlsOnly?: boolean;
}

/** Answers `{ error: { code, message, ... } }` with `status`. */
export function sendError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): FastifyReply {
  return reply.code(status).send({ error: { code, message, ...extra } });
}

const AUTH_MESSAGE: Readonly<Record<AuthVerdict, string>> = {
  ok: '',
  not_required: '',
  missing: 'credentials required: a bearer token or a client certificate',
  invalid: 'invalid bearer token',
};

/** The body's media type, lower-cased and without parameters. */
export function mediaType(contentType: string | undefined): string {
  return ((contentType ?? '').split(';')[0] ?? '').trim().toLowerCase();
}

/** A refusal decided from the request line and headers alone. */
export interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Checks what can be checked before reading the body: transport, auth, type, size, state. */
export function precheck(
  req: FastifyRequest,
  o: PrecheckOptions,
  at: PrecheckRoute,
): Refusal | undefined {
  const raw = req.raw as typeof req.raw & { kauditPlain?: boolean };
  if (at.tlsOnly === true && !o.tls) {
    return {
      status: 400,
      code: 'HTTPS_REQUIRED',
      message: `${at.route} needs TLS (--tls-cert and --tls-key): the apiserver calls admission webhooks over HTTPS only`,
    };
  }
  if (raw.kauditPlain === true) {
    return {
      status: 400,
      code: 'HTTPS_REQUIRED',
      message: 'this listener takes audit events over HTTPS only',
    };
  }
  const verdict = checkWebhookAuth(o.auth, req.headers.authorization, req.raw.socket);
  if (verdict === 'missing' || verdict === 'invalid') {
    o.onProblem?.('auth', { route: at.route, verdict, remote: req.ip });
    return {
      status: 401,
      code: 'UNAUTHORIZED',
      message: AUTH_MESSAGE[verdict],
      headers: { 'WWW-Authenticate': 'Bearer realm="kaudit"' },
    };
  }
  if (!at.mediaTypes.includes(mediaType(req.headers['content-type']))) {
    return {
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: `Content-Type must be ${at.mediaTypes.join(' or ')}`,
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
  if (at.draining && o.draining()) {
    return {
      status: 503,
      code: 'DRAINING',
      message: 'shutting down; retry against another replica',
      headers: { 'Retry-After': '5' },
    };
  }
  return undefined;
}
