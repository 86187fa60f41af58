import { join } from 'node:path';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { packageRoot } from '../../package-root.ts';
import { normalizeBasePath } from '../base-path.ts';
import { loadUiAssets, renderIndexHtml, type UiFile } from './assets.ts';
import { addSecurityHeaders } from './headers.ts';

/** Options of the UI plugin. */
export interface UiPluginOptions {
  /** Where the UI lives, e.g. "/kaudit" behind an ingress; "" (the default) for the root. */
  readonly basePath?: string;
  /** The built UI; default dist/ui in the package. */
  readonly assetsDir?: string;
}

/** Whether the client takes gzip: `gzip` listed with a q above 0 (`gzip;q=0` refuses it). */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  for (const part of header.split(',')) {
    const [name, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (name !== 'gzip') continue;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

function send(req: FastifyRequest, reply: FastifyReply, file: UiFile, cache: string): FastifyReply {
  reply.header('content-type', file.type).header('cache-control', cache);
  if (file.gzip !== undefined) {
    reply.header('vary', 'accept-encoding');
    if (acceptsGzip(req.headers['accept-encoding']))
      return reply.header('content-encoding', 'gzip').send(file.gzip);
  }
  return reply.send(file.body);
}

/**
 * Serves the web UI under `basePath`: index.html with the base path written in (at `/`
 * and, for client-side routes, at any other path that is not under `/api/`), and the
 * content-hashed files under `/assets/`. Every response carries the CSP and the other
 * SECURITY_HEADERS. No credentials are checked here: these files hold no data, and the
 * UI shows its login page when the API answers 401.
 *
 * Register it without a fastify `prefix`: `app.register(uiPlugin, { basePath })`.
 */
export const uiPlugin: FastifyPluginAsync<UiPluginOptions> = async (app, opts) => {
  const base = normalizeBasePath(opts.basePath ?? '');
  const assets = await loadUiAssets(opts.assetsDir ?? join(packageRoot(), 'dist', 'ui'));
  const html = Buffer.from(renderIndexHtml(assets.indexHtml, base));
  const index: UiFile = {
    body: html,
    gzip: undefined,
    type: 'text/html; charset=utf-8',
  };
  // index.html names the current hashed files, so it is revalidated on every load; the
  // hashed files never change under their name.
  const sendIndex = (req: FastifyRequest, reply: FastifyReply) =>
    send(req, reply, index, 'no-cache');
  const apiPrefix = `${base}/api/`;

  app.addHook('onSend', addSecurityHeaders);

  app.get(`${base}/`, sendIndex);
  if (base !== '') app.get(base, sendIndex);

  app.get<{ Params: { file: string } }>(`${base}/assets/:file`, (req, reply) => {
    const file = assets.files.get(req.params.file);
    if (file === undefined) {
      return reply.code(404).type('text/plain; charset=utf-8').send('Not found\n');
    }
    return send(req, reply, file, 'public, max-age=31536000, immutable');
  });

  app.get(`${base}/*`, (req, reply) => {
    const path = req.url.split('?', 1)[0] ?? '';
    if (path.startsWith(apiPrefix) || path === `${base}/api`) {
      return reply
        .code(404)
        .send({ error: { code: 'not_found', message: `no API route ${req.method} ${path}` } });
    }
    // A missing asset is a 404, not the page: a stale index.html must fail visibly.
    if (path.startsWith(`${base}/assets/`)) {
      return reply.code(404).type('text/plain; charset=utf-8').send('Not found\n');
    }
    return sendIndex(req, reply);
  });
};
