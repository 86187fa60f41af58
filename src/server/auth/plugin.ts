import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendApiError } from '../api/errors.ts';
import { createSessionCodec, SESSION_COOKIE, SESSION_TTL_MS } from './session.ts';
import { createTokenSet, type Role, type TokenEntry } from './tokens.ts';

/** Who sent a request, as the auth hook found out. */
export interface AuthInfo {
  readonly role: Role;
  /** How: a bearer header, the session cookie, or nothing because auth is off. */
  readonly via: 'bearer' | 'cookie' | 'none';
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook; undefined when the request carries no valid credentials. */
    kauditAuth: AuthInfo | undefined;
  }
}

export interface AuthOptions {
  /** Accepted tokens; `false` turns authentication off (`--no-auth`, loopback only). */
  readonly tokens: readonly TokenEntry[] | false;
  /** Keys session cookies and token digests (see loadOrCreateSessionSecret). */
  readonly secret: Buffer;
  /** Normalised base path ("" or "/x"). */
  readonly basePath: string;
  readonly sessionTtlMs?: number;
}

export const CSRF_HEADER = 'x-kaudit-csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/i;
const FORM_LIMIT = 4096;

/**
 * Authentication for the API and the UI (see /work/brief/alerts-api.md): bearer tokens,
 * `/?token=` and `POST /login` set the session cookie, `POST /logout` clears it. Every
 * request under the base path gets `request.kauditAuth`; `/api/` answers 401 without it,
 * and unsafe cookie-authenticated requests need the `X-Kaudit-CSRF: 1` header.
 * Registered on the root instance (not encapsulated) so that UI routes see it too.
 */
export async function registerAuth(app: FastifyInstance, o: AuthOptions): Promise<void> {
  const tokens = o.tokens === false ? undefined : createTokenSet(o.tokens, o.secret);
  const sessions = createSessionCodec(o.secret, o.sessionTtlMs ?? SESSION_TTL_MS);
  const base = o.basePath;
  const cookiePath = base === '' ? '/' : base;
  const ttlS = Math.floor((o.sessionTtlMs ?? SESSION_TTL_MS) / 1000);

  await app.register(fastifyCookie);
  app.decorateRequest('kauditAuth', undefined);
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_LIMIT },
    (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );

  const identify = (req: FastifyRequest): AuthInfo | undefined => {
    if (tokens === undefined) return { role: 'admin', via: 'none' };
    const h = req.headers.authorization;
    if (h !== undefined) {
      const m = /^Bearer ([^\s]+)$/i.exec(h);
      const role = m ? tokens.roleOf(m[1] as string) : undefined;
      return role === undefined ? undefined : { role, via: 'bearer' };
    }
    const cookie = req.cookies[SESSION_COOKIE];
    const fp = cookie === undefined ? undefined : sessions.verify(cookie);
    const role = fp === undefined ? undefined : tokens.roleOfFingerprint(fp);
    return role === undefined ? undefined : { role, via: 'cookie' };
  };
  const setSession = (req: FastifyRequest, reply: FastifyReply, token: string): boolean => {
    if (tokens === undefined || tokens.roleOf(token) === undefined) return false;
    reply.setCookie(SESSION_COOKIE, sessions.issue(tokens.fingerprintOf(token)), {
      path: cookiePath,
      httpOnly: true,
      sameSite: 'strict',
      secure: req.protocol === 'https',
      maxAge: ttlS,
    });
    return true;
  };
  // A form posted from another site must not log anyone in or out (login CSRF).
  const sameOrigin = (req: FastifyRequest): boolean => {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  };
  const inBase = (path: string) => base === '' || path === base || path.startsWith(`${base}/`);

  app.addHook('onRequest', async (req, reply) => {
    const url = new URL(req.url, 'http://x');
    if (!inBase(url.pathname)) return;
    // Without tokens only the loopback name is served: no DNS-rebinding page can reach us.
    if (tokens === undefined && !LOOPBACK_HOST.test(req.headers.host ?? '')) {
      return sendApiError(
        reply,
        403,
        'bad_host',
        'authentication is off: only a loopback Host is served',
      );
    }
    const auth = identify(req);
    req.kauditAuth = auth;
    const isApi = url.pathname.startsWith(`${base}/api/`);
    const token = url.searchParams.get('token');
    if (!isApi && req.method === 'GET' && token !== null) {
      // Jupyter's convention: the token once in the address, then the cookie; the
      // redirect drops it from the address bar and the history.
      url.searchParams.delete('token');
      const rest = url.searchParams.toString();
      const target = `${url.pathname}${rest === '' ? '' : `?${rest}`}`;
      if (!setSession(req, reply, token))
        return reply.redirect(`${base}/login?error=invalid_token`, 303);
      return reply.redirect(target, 303);
    }
    // The API description is public; everything else under /api/ needs credentials.
    if (!isApi || url.pathname === `${base}/api/v1/openapi.json`) return;
    if (auth === undefined) {
      reply.header('www-authenticate', 'Bearer realm="kaudit"');
      return sendApiError(
        reply,
        401,
        'unauthorized',
        'a valid bearer token or session is required',
      );
    }
    if (
      !SAFE_METHODS.has(req.method) &&
      auth.via !== 'bearer' &&
      req.headers[CSRF_HEADER] !== '1'
    ) {
      return sendApiError(
        reply,
        403,
        'csrf_header_required',
        `unsafe requests from a browser need the header X-Kaudit-CSRF: 1`,
      );
    }
  });

  app.post(`${base}/login`, async (req, reply) => {
    if (!sameOrigin(req))
      return sendApiError(reply, 403, 'cross_origin', 'login from another origin');
    const body = req.body as Record<string, unknown> | undefined;
    const token = typeof body?.token === 'string' ? body.token : '';
    const json = req.headers.accept?.includes('application/json') === true;
    if (!setSession(req, reply, token)) {
      if (json) return sendApiError(reply, 401, 'unauthorized', 'unknown token');
      return reply.redirect(`${base}/login?error=invalid_token`, 303);
    }
    if (json) return { role: tokens?.roleOf(token) };
    return reply.redirect(`${base}/`, 303);
  });

  app.post(`${base}/logout`, async (req, reply) => {
    if (!sameOrigin(req))
      return sendApiError(reply, 403, 'cross_origin', 'logout from another origin');
    const cookie = req.cookies[SESSION_COOKIE];
    if (cookie !== undefined) sessions.revoke(cookie);
    reply.clearCookie(SESSION_COOKIE, { path: cookiePath, httpOnly: true, sameSite: 'strict' });
    return reply.redirect(`${base}/login`, 303);
  });
}

/** preHandler for admin routes: 403 for a read token. */
export async function requireAdmin(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (req.kauditAuth?.role !== 'admin') {
    await sendApiError(reply, 403, 'forbidden', 'this needs an admin token');
  }
}
