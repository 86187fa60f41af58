import { readFileSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Output } from '../outputs/index.ts';
import type { DetectorConfig } from '../pipeline/index.ts';
import type { LoadedRule } from '../rules/index.ts';
import { type EmbeddedSpool, openEmbeddedSpool, runDelivery, type Spool } from '../spool/index.ts';
import { type AlertStore, createStoreOutput, openAlertStore } from '../store/index.ts';
import { describeRules, registerAlertsApi } from './api/index.ts';
import {
  AuthConfigError,
  generateToken,
  loadOrCreateSessionSecret,
  loadTokens,
  type TokenEntry,
} from './auth/index.ts';
import { ConfigError } from './config/load-config.ts';
import { isLoopback, type ServeConfig } from './config/serve-config.ts';
import { startDetectionThread } from './detection/client.ts';
import type { DetectionProgress } from './detection/messages.ts';
import { registerHealth } from './health.ts';
import { createListener, type TlsMaterial } from './listener.ts';
import { createThrottledLog, type Logger } from './log.ts';
import { createServeMetrics, type ServeMetrics } from './metrics.ts';
import {
  loadErrors,
  loadServeRules,
  type ReloadResult,
  reloadRules,
  watchRules,
} from './rules-reload.ts';
import { UiError, uiPlugin } from './ui/index.ts';
import { createWebhookAuth, readTokenFile } from './webhook/auth.ts';
import { registerWebhook } from './webhook/route.ts';

/** What the server needs from its caller besides the configuration. */
export interface ServeDeps {
  readonly log: Logger;
  /** Alert hostname (Falco: FALCO_HOSTNAME, else the machine's name). */
  readonly hostname: string;
  /** Builds an output from a `--output` spec; throws ConfigError for a bad spec. */
  readonly openOutput: (spec: string) => Output;
  /** Plugins mounted on the app (alert API, UI), after the webhook and health routes. */
  readonly plugins?: readonly ((app: FastifyInstance, ctx: ServeContext) => Promise<void>)[];
}

/** What plugins see of the running server. */
export interface ServeContext {
  readonly metrics: ServeMetrics;
  readonly reload: (reason: string) => Promise<ReloadResult>;
  /** The rules running now (changes with reloads). */
  readonly rules: () => readonly LoadedRule[];
}

/** A running `kaudit serve`. */
export interface RunningServer {
  /** The address it listens on (the port is real when 0 was asked for). */
  readonly address: { readonly host: string; readonly port: number };
  /**
   * The admin token made at start when none was configured (printed once, as Jupyter
   * does); undefined when tokens were given or authentication is off.
   */
  readonly generatedToken?: string;
  /** The UI's URL (with the base path), when the alert store is on. */
  readonly uiUrl?: string;
  readonly metrics: ServeMetrics;
  reload(reason: string): Promise<ReloadResult>;
  /** Stops accepting, lets detection and delivery catch up (bounded), closes everything. */
  stop(): Promise<void>;
}

/** How long shutdown waits for detection and delivery to catch up. */
const DRAIN_MS = 20_000;
/** Outbox entries kept for an output that lags (beyond, its oldest are dropped). */
const OUTBOX_MAX_ENTRIES = 1_000_000;
const MAINTENANCE_MS = 30_000;

function readTls(c: ServeConfig): TlsMaterial | undefined {
  if (c.tlsCert === undefined || c.tlsKey === undefined) return undefined;
  const read = (p: string, what: string): Buffer => {
    try {
      return readFileSync(p);
    } catch (err) {
      throw new ConfigError('CONFIG_READ', `cannot read ${what} ${p}: ${(err as Error).message}`);
    }
  };
  return {
    cert: read(c.tlsCert, 'TLS certificate'),
    key: read(c.tlsKey, 'TLS key'),
    ...(c.clientCa !== undefined ? { clientCa: read(c.clientCa, 'client CA') } : {}),
  };
}

/** Refuses configurations that would expose an unauthenticated webhook. */
function checkSecurity(c: ServeConfig, tokens: readonly string[]): void {
  if (c.clientCa !== undefined && c.tlsCert === undefined) {
    throw new ConfigError('CONFIG_VALUE', '--client-ca needs TLS: give --tls-cert and --tls-key');
  }
  const authenticated = tokens.length > 0 || c.clientCa !== undefined;
  if (!authenticated && !isLoopback(c.listen.host) && !c.insecure) {
    throw new ConfigError(
      'CONFIG_VALUE',
      `refusing to listen on ${c.listen.host}:${c.listen.port} without authentication: give --token-file, or --client-ca with --tls-cert and --tls-key (or --insecure to accept anyone who can connect)`,
    );
  }
}

/**
 * Starts `kaudit serve`: loads the rules (refusing to start when they do not load),
 * opens the spool in the data directory, starts detection (spool → decode → rules →
 * outbox) and one delivery loop per output (outbox → output), and listens for the
 * apiserver's webhook, probes and Prometheus.
 */
export async function startServer(c: ServeConfig, deps: ServeDeps): Promise<RunningServer> {
  const { log } = deps;
  const tokens = c.tokenFile === undefined ? [] : readTokenFileOrFail(c.tokenFile);
  checkSecurity(c, tokens);
  const tls = readTls(c);
  const metrics = createServeMetrics();

  const detectorCfg: DetectorConfig = {
    ruleMatching: c.ruleMatching,
    hostname: deps.hostname,
    fastpath: true,
    keepEvent: true,
    ...(c.minPriority !== undefined ? { minPriority: c.minPriority } : {}),
  };
  const loaded = await loadServeRules(c.rules, c.minPriority);
  if (!loaded.ok) {
    throw new ConfigError(
      'CONFIG_VALUE',
      `rules failed to load:\n${loadErrors(loaded).join('\n')}`,
    );
  }
  let currentRules: readonly LoadedRule[] = loaded.rules;

  const outputs: { spec: string; output: Output }[] = c.outputs.map((spec) => ({
    spec,
    output: deps.openOutput(spec),
  }));
  const spoolOptions = { maxBytes: c.spoolMaxSize, retentionMs: c.spoolRetentionMs };
  let embedded: EmbeddedSpool;
  try {
    embedded = openEmbeddedSpool(c.dataDir, spoolOptions);
  } catch (err) {
    throw new ConfigError(
      'CONFIG_VALUE',
      `cannot open the spool in ${c.dataDir}: ${(err as Error).message}`,
    );
  }
  const { outbox } = embedded;
  // The alert store: an output like the others (its own outbox cursor), read by the API.
  let store: AlertStore | undefined;
  if (c.store !== 'none') {
    try {
      store = await openAlertStore(c.store);
    } catch (err) {
      embedded.close();
      throw new ConfigError(
        'CONFIG_VALUE',
        `cannot open the alert store ${c.store}: ${(err as Error).message}`,
      );
    }
    outputs.push({ spec: 'store', output: createStoreOutput(store) });
  }
  const api = store === undefined ? undefined : apiTokens(c);
  const stopping = new AbortController();
  let draining = false;
  let detectionFailed: string | undefined;

  // Detection runs on its own thread: spool → decode → rules → outbox, committing each
  // batch once its alerts are in the outbox. Its progress wakes the delivery loops.
  const seenRejects = new Set<string>();
  let duplicates = 0;
  const onProgress = (p: DetectionProgress): void => {
    embedded.spool.observe({ committed: p.committed });
    outbox.observe(p.outboxHead);
    for (const [rule, priority, n] of p.alerts) metrics.alerts.inc({ rule, priority }, n);
    for (const [reason, n] of p.rejects) metrics.decodeRejects.inc({ reason }, n);
    duplicates += p.duplicates;
    for (const r of p.firstRejects) {
      if (seenRejects.has(r.reason)) continue;
      seenRejects.add(r.reason);
      log.warn(
        { reason: r.reason, message: r.message },
        'detection: spooled event rejected (first of its kind)',
      );
    }
  };
  const detection = startDetectionThread(
    {
      dataDir: c.dataDir,
      spool: spoolOptions,
      detector: detectorCfg,
      rules: loaded.rules,
      maxEventSize: c.maxEventSize,
      ...(c.cluster !== undefined ? { cluster: c.cluster } : {}),
    },
    {
      onProgress,
      onFailure: (message) => {
        detectionFailed = message;
        log.fatal({ message }, 'detection failed; the webhook stops accepting batches');
      },
    },
  );
  metrics.rulesLoaded.set(await detection.ready);
  // The webhook's appends wake the detection thread.
  const spool: Spool = {
    ...embedded.spool,
    append: async (batch) => {
      const position = await embedded.spool.append(batch);
      detection.appended(position);
      return position;
    },
  };

  // Delivery: one loop per output, each from its own cursor.
  const deliveries = outputs.map(({ spec, output }) =>
    runDelivery({
      outbox,
      output,
      cursorName: spec,
      signal: stopping.signal,
      onError: (err) => log.error({ output: spec, err: err.message }, 'output failed; retrying'),
    }),
  );

  const reload = (reason: string): Promise<ReloadResult> =>
    reloadRules(
      c.rules,
      c.minPriority,
      async (rules) => {
        const running = await detection.swap(rules);
        currentRules = rules;
        return running;
      },
      log,
      metrics,
      reason,
    );
  const unwatch =
    c.watchRules && c.rules.length > 0
      ? watchRules(c.rules, () => void reload('rules file changed'))
      : () => {};

  let lastDelivered = new Map<string, number>();
  const updateGauges = (): void => {
    metrics.duplicates.inc(duplicates);
    duplicates = 0;
    const spool = embedded.spool;
    const s = spool.stats();
    metrics.spoolPendingBatches.set(s.pendingBatches);
    metrics.spoolPendingEvents.set(s.pendingEvents);
    metrics.spoolBytes.set(s.bytes);
    metrics.spoolLagSeconds.set(
      s.oldestPendingAt === undefined ? 0 : (Date.now() - s.oldestPendingAt) / 1000,
    );
    const delivered = new Map<string, number>();
    for (const { spec, output } of outputs) {
      const st = output.stats;
      const before = lastDelivered.get(spec) ?? 0;
      if (st.delivered > before) metrics.deliveries.inc({ output: spec }, st.delivered - before);
      delivered.set(spec, st.delivered);
    }
    lastDelivered = delivered;
  };
  const maintenance = setInterval(() => {
    void embedded.spool.prune().catch(() => {});
    void outbox
      .prune(
        outputs.map((o) => o.spec),
        OUTBOX_MAX_ENTRIES,
      )
      .then((skipped) => {
        for (const [spec, n] of skipped) metrics.deliveryDrops.inc({ output: spec }, n);
      });
    void store
      ?.prune({ maxAgeMs: c.storeRetentionMs, maxRows: c.storeMaxAlerts })
      .catch((err: unknown) => log.warn({ err: (err as Error).message }, 'store: prune failed'));
    updateGauges();
  }, MAINTENANCE_MS);
  maintenance.unref();

  const app = Fastify({
    logger: false,
    // A net.Server that hands each connection to its HTTP or HTTPS server (listener.ts).
    serverFactory: (handler) => createListener(handler, tls) as unknown as HttpServer,
    // Request bodies are read by the routes themselves, with their own limits.
    bodyLimit: c.maxBodySize,
  });
  registerHealth(
    app,
    metrics,
    () => {
      const reasons: string[] = [];
      if (draining) reasons.push('shutting down');
      if (detectionFailed !== undefined) reasons.push(`detection failed: ${detectionFailed}`);
      if (!embedded.spool.writable()) reasons.push('spool not writable (full or failing)');
      return { ready: reasons.length === 0, reasons };
    },
    updateGauges,
  );
  await registerWebhook(app, {
    spool,
    metrics,
    auth: createWebhookAuth(tokens, c.clientCa !== undefined),
    maxBodySize: c.maxBodySize,
    tls: tls !== undefined,
    draining: () => draining || detectionFailed !== undefined,
    onProblem: createThrottledLog(log),
    ...(c.cluster !== undefined ? { cluster: c.cluster } : {}),
  });
  if (store !== undefined && api !== undefined) {
    await registerAlertsApi(app, {
      store,
      basePath: c.basePath,
      auth: { tokens: api.tokens, secret: loadOrCreateSessionSecret(c.dataDir) },
      rules: () => describeRules(currentRules),
      reloadRules: async () => {
        const r = await reload('API');
        return { ok: r.ok, errors: r.errors };
      },
    });
    try {
      await app.register(uiPlugin, { basePath: c.basePath });
    } catch (err) {
      // Run from the sources without `npm run build`: the API works, the UI is not there.
      if (!(err instanceof UiError) || err.code !== 'ui_not_built') throw err;
      log.warn({ message: err.message }, 'web UI not built (npm run build); serving the API only');
    }
  }
  const ctx: ServeContext = { metrics, reload, rules: () => currentRules };
  for (const plugin of deps.plugins ?? []) await plugin(app, ctx);
  try {
    await app.listen({ host: c.listen.host, port: c.listen.port });
  } catch (err) {
    stopping.abort();
    embedded.close();
    throw new ConfigError(
      'CONFIG_VALUE',
      `cannot listen on ${c.listen.host}:${c.listen.port}: ${(err as Error).message}`,
    );
  }
  const addr = app.server.address() as AddressInfo;
  log.info(
    {
      listen: `${addr.address}:${addr.port}`,
      tls: tls !== undefined,
      clientCertAuth: c.clientCa !== undefined,
      tokens: tokens.length,
      rules: currentRules.filter((r) => r.enabled).length,
      outputs: c.outputs,
      dataDir: c.dataDir,
      pending: embedded.spool.stats().pendingEvents,
    },
    'kaudit serve started',
  );

  let stopped: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    draining = true;
    log.info({}, 'shutting down: no new batches, draining');
    await app.close();
    const deadline = Date.now() + DRAIN_MS;
    // Let detection finish what was acknowledged, then delivery what detection decided.
    const head = embedded.spool.stats().head;
    while (detection.committed < head && detectionFailed === undefined && Date.now() < deadline) {
      await sleep(50);
    }
    await detection.stop();
    for (const { spec } of outputs) {
      while ((await outbox.cursor(spec)) < outbox.head() && Date.now() < deadline) await sleep(50);
    }
    stopping.abort();
    clearInterval(maintenance);
    unwatch();
    await Promise.allSettled(deliveries);
    await Promise.allSettled(outputs.map(({ output }) => output.close()));
    await store?.close();
    log.info({ pending: embedded.spool.stats().pendingEvents }, 'kaudit serve stopped');
    embedded.close();
  };
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const scheme = tls === undefined ? 'http' : 'https';
  return {
    address: { host: addr.address, port: addr.port },
    ...(api?.generated !== undefined ? { generatedToken: api.generated } : {}),
    ...(store !== undefined
      ? { uiUrl: `${scheme}://${shownHost}:${addr.port}${c.basePath}/` }
      : {}),
    metrics,
    reload,
    stop: () => {
      stopped ??= stop();
      return stopped;
    },
  };
}

/** The API and UI tokens: configured ones, or one random admin token made now. */
function apiTokens(c: ServeConfig): { tokens: TokenEntry[] | false; generated?: string } {
  if (!c.auth) {
    if (!isLoopback(c.listen.host)) {
      throw new ConfigError('CONFIG_VALUE', '--no-auth is only allowed on a loopback listener');
    }
    return { tokens: false };
  }
  if (c.apiTokenFile === undefined && c.apiTokens === undefined) {
    const generated = generateToken();
    return { tokens: [{ token: generated, role: 'admin' }], generated };
  }
  let tokens: TokenEntry[];
  try {
    tokens = loadTokens({
      ...(c.apiTokenFile !== undefined ? { file: c.apiTokenFile } : {}),
      ...(c.apiTokens !== undefined ? { env: c.apiTokens } : {}),
    });
  } catch (err) {
    if (err instanceof AuthConfigError)
      throw new ConfigError('CONFIG_VALUE', `API tokens: ${err.message}`);
    throw err;
  }
  return { tokens };
}

function readTokenFileOrFail(path: string): string[] {
  try {
    return readTokenFile(path);
  } catch (err) {
    throw new ConfigError(
      'CONFIG_READ',
      `cannot use token file ${path}: ${(err as Error).message}`,
    );
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
