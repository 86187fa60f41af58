import type { Server as HttpServer } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import type { LoadedRule } from '../rules/index.ts';
import type { Spool } from '../spool/index.ts';
import { describeRules, registerAlertsApi } from './api/index.ts';
import { loadOrCreateSessionSecret } from './auth/index.ts';
import type { ServeConfig } from './config/serve-config.ts';
import { registerConnectionHooks } from './connection-hooks.ts';
import { type Readiness, registerHealth } from './health.ts';
import { createListener } from './listener.ts';
import { createThrottledLog, type Logger } from './log.ts';
import type { ServeMetrics } from './metrics.ts';
import type { ReloadResult } from './rules-reload.ts';
import type { ServeSecurity } from './security.ts';
import type { ServeState } from './state.ts';
import { UiError, uiPlugin } from './ui/index.ts';
import { registerAdmissionWebhook } from './webhook/admission-route.ts';
import { createWebhookAuth } from './webhook/auth.ts';
import { registerWebhook } from './webhook/route.ts';

/** What the routes of serve need. */
export interface AppDeps {
  readonly config: ServeConfig;
  readonly security: ServeSecurity;
  /** The alert store of the API and UI, when there is one. */
  readonly state: Pick<ServeState, 'store'>;
  /** The spool as the webhook uses it (appends wake detection). */
  readonly spool: Spool;
  readonly metrics: ServeMetrics;
  readonly log: Logger;
  readonly readiness: () => Readiness;
  /** Refuses new batches (shutting down, detection failed). */
  readonly draining: () => boolean;
  readonly updateGauges: () => Promise<void>;
  readonly rules: () => readonly LoadedRule[];
  readonly reload: (reason: string) => Promise<ReloadResult>;
}

/**
 * The HTTP side of serve on one listener: /healthz, /readyz, /metrics, the webhooks
 * (/k8s-audit, /k8s-admission), and,
 * with an alert store, the alerts API and the web UI.
 */
export async function buildServeApp(d: AppDeps): Promise<FastifyInstance> {
  const c = d.config;
  const tls = d.security.tls;
  const app = Fastify({
    logger: false,
    // A net.Server that hands each connection to its HTTP or HTTPS server (listener.ts).
    serverFactory: (handler) => createListener(handler, tls) as unknown as HttpServer,
    // Request bodies are read by the routes themselves, with their own limits.
    bodyLimit: c.maxBodySize,
  });
  registerConnectionHooks(app, { tls: tls !== undefined, draining: d.draining });
  registerHealth(app, d.metrics, d.readiness, d.updateGauges);
  const webhook = {
    spool: d.spool,
    metrics: d.metrics,
    auth: createWebhookAuth(d.security.webhookTokens, c.clientCa !== undefined),
    maxBodySize: c.maxBodySize,
    maxEventSize: c.maxEventSize,
    tls: tls !== undefined,
    draining: d.draining,
    onProblem: createThrottledLog(d.log),
    ...(c.cluster !== undefined ? { cluster: c.cluster } : {}),
  };
  await registerWebhook(app, webhook);
  await registerAdmissionWebhook(app, webhook);
  const store = d.state.store;
  if (store === undefined) return app;
  await registerAlertsApi(app, {
    store,
    basePath: c.basePath,
    auth: { tokens: d.security.apiTokens, secret: loadOrCreateSessionSecret(c.dataDir) },
    rules: () => describeRules(d.rules()),
    reloadRules: async () => {
      const r = await d.reload('API');
      return { ok: r.ok, errors: r.errors };
    },
  });
  try {
    await app.register(uiPlugin, { basePath: c.basePath });
  } catch (err) {
    // Run from the sources without `npm run build`: the API works, the UI is not there.
    if (!(err instanceof UiError) || err.code !== 'ui_not_built') throw err;
    d.log.warn({ message: err.message }, 'web UI not built (npm run build); serving the API only');
  }
  return app;
}
