import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The UI's Content-Security-Policy: only our own files run or style the page (no inline
 * script or style, no eval), it talks only to its own origin, and no one may frame it.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** Headers on every UI response (fit for the API's responses too). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

/**
 * An `onSend` hook that adds SECURITY_HEADERS to every response of the instance it is
 * added to (the UI plugin adds it to its own routes; a server may add it at the root).
 */
export async function addSecurityHeaders(
  _req: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
): Promise<unknown> {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) {
    if (!reply.hasHeader(k)) reply.header(k, v);
  }
  return payload;
}
