import type { FastifyError, FastifyInstance } from 'fastify';
import type { AlertStore } from '../../store/index.ts';
import { createAlertMatcher, StoreError } from '../../store/index.ts';
import { type AuthOptions, registerAuth, requireAdmin } from '../auth/plugin.ts';
import { normalizeBasePath } from '../base-path.ts';
import { ApiError, sendApiError } from './errors.ts';
import { createExportStream, type ExportFormat } from './export.ts';
import { buildOpenApi } from './openapi.ts';
import {
  isEmptyFilter,
  one,
  parseCountKey,
  parseDuration,
  parseFilter,
  parseIntParam,
  type Query,
} from './query.ts';
import { type ApiRule, ruleInfoOf } from './rules.ts';
import { createStreamHub, type StreamOptions } from './stream.ts';

/** What `POST admin/reload-rules` reports; `errors` are file:line:col messages. */
export interface ReloadOutcome {
  readonly ok: boolean;
  readonly errors?: readonly string[];
}

export interface AlertsApiOptions {
  readonly store: AlertStore;
  /** "" (default) or a sub-path such as "/kaudit" for an ingress. */
  readonly basePath?: string;
  /** Authentication; `tokens: false` turns it off (`--no-auth`, loopback only). */
  readonly auth: Omit<AuthOptions, 'basePath'>;
  /** The rules as they are loaded now (called per request: reloads show at once). */
  readonly rules: () => readonly ApiRule[];
  /** Reloads the rules files; absent, the route answers 501. */
  readonly reloadRules?: () => Promise<ReloadOutcome>;
  readonly stream?: StreamOptions;
}

const STORE_ERROR_STATUS: Readonly<Record<string, number>> = {
  bad_filter: 400,
  bad_cursor: 400,
  closed: 503,
  unavailable: 503,
};

/**
 * Mounts authentication and the alerts API (`${base}/api/v1/...`, see
 * /work/brief/alerts-api.md) on a fastify instance. Register it on the root instance:
 * the auth hook must also run for the UI routes.
 */
export async function registerAlertsApi(app: FastifyInstance, o: AlertsApiOptions): Promise<void> {
  const base = normalizeBasePath(o.basePath);
  await registerAuth(app, { ...o.auth, basePath: base });
  const hub = createStreamHub(o.store, o.stream);
  app.addHook('onClose', async () => hub.closeAll());
  // In-flight streams would keep close() waiting for ever: end them when closing starts.
  app.addHook('preClose', async () => hub.closeAll());
  await app.register(async (api) => apiRoutes(api, o, hub, base), { prefix: `${base}/api/v1` });
}

async function apiRoutes(
  api: FastifyInstance,
  o: AlertsApiOptions,
  hub: ReturnType<typeof createStreamHub>,
  base: string,
): Promise<void> {
  const { store } = o;
  api.setErrorHandler((err: FastifyError | ApiError | StoreError, req, reply) => {
    if (err instanceof ApiError) return sendApiError(reply, err.status, err.code, err.message);
    if (err instanceof StoreError) {
      return sendApiError(reply, STORE_ERROR_STATUS[err.code] ?? 500, err.code, err.message);
    }
    const status = 'statusCode' in err && typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 500) {
      req.log.error({ err }, 'alerts API request failed');
      return sendApiError(reply, 500, 'internal', 'internal error (logged by the server)');
    }
    return sendApiError(reply, status, 'bad_request', err.message);
  });
  api.setNotFoundHandler((req, reply) =>
    sendApiError(reply, 404, 'not_found', `no route ${req.method} ${req.url.split('?')[0]}`),
  );
  const q = (req: { query: unknown }) => req.query as Query;

  api.get('/alerts', async (req) => {
    const query = q(req);
    const cursor = one(query, 'cursor');
    const limit = parseIntParam(query, 'limit');
    return store.list(parseFilter(query), {
      ...(limit === undefined ? {} : { limit }),
      ...(cursor === undefined ? {} : { cursor }),
    });
  });

  api.get('/alerts/counts', async (req) => {
    const query = q(req);
    const bucket = one(query, 'bucket');
    const limit = parseIntParam(query, 'limit');
    return store.counts(parseFilter(query), {
      by: parseCountKey(query),
      ...(bucket === undefined ? {} : { bucketMs: parseDuration(bucket) }),
      ...(limit === undefined ? {} : { limit }),
    });
  });

  api.get('/alerts/export', async (req, reply) => {
    const query = q(req);
    const format = one(query, 'format');
    if (format !== 'csv' && format !== 'ndjson') {
      throw new ApiError(400, 'bad_request', 'format: expected csv or ndjson');
    }
    const filter = parseFilter(query);
    createAlertMatcher(filter); // checks the filter now: a stream cannot report errors later
    const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, '-');
    return reply
      .header('content-disposition', `attachment; filename="kaudit-alerts-${stamp}.${format}"`)
      .header('cache-control', 'no-store')
      .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
      .send(createExportStream(store, filter, format as ExportFormat));
  });

  api.get('/alerts/stream', async (req, reply) => hub.handle(req, reply, parseFilter(q(req))));

  api.get('/alerts/:id', async (req) => {
    const { id } = req.params as { id: string };
    const alert = await store.get(id);
    if (alert === undefined)
      throw new ApiError(404, 'not_found', `no alert ${JSON.stringify(id.slice(0, 40))}`);
    return { ...alert, ruleInfo: ruleInfoOf(o.rules(), alert.rule) };
  });

  api.delete('/alerts', { preHandler: requireAdmin }, async (req) => {
    const query = q(req);
    const filter = parseFilter(query);
    if (isEmptyFilter(filter) && one(query, 'all') !== 'true') {
      throw new ApiError(400, 'bad_request', 'no filter: add all=true to delete every alert');
    }
    return { deleted: await store.delete(filter) };
  });

  api.get('/rules', async () => o.rules());

  api.get('/whoami', async (req) => ({ role: req.kauditAuth?.role }));

  api.post('/admin/reload-rules', { preHandler: requireAdmin }, async (_req, reply) => {
    if (o.reloadRules === undefined) {
      return sendApiError(reply, 501, 'not_implemented', 'this server cannot reload rules');
    }
    const r = await o.reloadRules();
    if (!r.ok) {
      return reply.code(422).send({
        error: { code: 'rules_invalid', message: 'the rules did not load; the old ones still run' },
        errors: r.errors ?? [],
      });
    }
    return { ok: true, errors: [] };
  });

  const openapi = buildOpenApi(base);
  api.get('/openapi.json', async () => openapi);
}
