import { readFileSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { createDecoder, type RejectInfo } from '../events/index.ts';
import type { Output } from '../outputs/index.ts';
import {
  createDetector,
  createSwappableDetector,
  type DetectorConfig,
  runPipeline,
} from '../pipeline/index.ts';
import {
  createOutboxOutput,
  createSpoolSource,
  type EmbeddedSpool,
  openEmbeddedSpool,
  runDelivery,
} from '../spool/index.ts';
import { ConfigError } from './config/load-config.ts';
import { isLoopback, type ServeConfig } from './config/serve-config.ts';
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
  readonly detector: ReturnType<typeof createSwappableDetector>;
}

/** A running `kaudit serve`. */
export interface RunningServer {
  /** The address it listens on (the port is real when 0 was asked for). */
  readonly address: { readonly host: string; readonly port: number };
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
  const detector = createSwappableDetector(createDetector(loaded.rules, detectorCfg));
  metrics.rulesLoaded.set(detector.engine.activeRules.length);

  const outputs = c.outputs.map((spec) => ({ spec, output: deps.openOutput(spec) }));
  let embedded: EmbeddedSpool;
  try {
    embedded = openEmbeddedSpool(c.dataDir, {
      maxBytes: c.spoolMaxSize,
      retentionMs: c.spoolRetentionMs,
    });
  } catch (err) {
    throw new ConfigError(
      'CONFIG_VALUE',
      `cannot open the spool in ${c.dataDir}: ${(err as Error).message}`,
    );
  }
  const { spool, outbox } = embedded;
  const stopping = new AbortController();
  let draining = false;

  // Detection: spool → decode → rules → outbox; a batch is committed once its alerts
  // are in the outbox.
  const seenRejects = new Set<string>();
  const onReject = (info: RejectInfo): void => {
    metrics.decodeRejects.inc({ reason: info.reason });
    if (seenRejects.has(info.reason)) return;
    seenRejects.add(info.reason);
    log.warn(
      { reason: info.reason, message: info.message },
      'detection: spooled event rejected (first of its kind)',
    );
  };
  const decoder = createDecoder({
    onReject,
    maxEventSize: c.maxEventSize,
    ...(c.cluster !== undefined ? { cluster: c.cluster } : {}),
  });
  const outboxOutput = createOutboxOutput(outbox);
  const detection = runPipeline({
    source: createSpoolSource(spool),
    decoder,
    detector,
    outputs: [outboxOutput],
    signal: stopping.signal,
    onAlert: (a) => metrics.alerts.inc({ rule: a.rule, priority: a.priority }),
  }).catch((err: unknown) => {
    log.fatal({ err }, 'detection stopped');
    throw err;
  });

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
    reloadRules(detector, c.rules, detectorCfg, log, metrics, reason);
  const unwatch =
    c.watchRules && c.rules.length > 0
      ? watchRules(c.rules, () => void reload('rules file changed'))
      : () => {};

  let lastDelivered = new Map<string, number>();
  let lastDuplicates = 0;
  const updateGauges = (): void => {
    metrics.duplicates.inc(outboxOutput.duplicates - lastDuplicates);
    lastDuplicates = outboxOutput.duplicates;
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
    void spool.prune().catch(() => {});
    void outbox
      .prune(
        outputs.map((o) => o.spec),
        OUTBOX_MAX_ENTRIES,
      )
      .then((skipped) => {
        for (const [spec, n] of skipped) metrics.deliveryDrops.inc({ output: spec }, n);
      });
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
      if (!spool.writable()) reasons.push('spool not writable (full or failing)');
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
    draining: () => draining,
    onProblem: createThrottledLog(log),
    ...(c.cluster !== undefined ? { cluster: c.cluster } : {}),
  });
  const ctx: ServeContext = { metrics, reload, detector };
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
      rules: detector.engine.activeRules.length,
      outputs: c.outputs,
      dataDir: c.dataDir,
      pending: spool.stats().pendingEvents,
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
    while (spool.stats().pendingBatches > 0 && Date.now() < deadline) await sleep(50);
    await outboxOutput.flush();
    for (const { spec } of outputs) {
      while ((await outbox.cursor(spec)) < outbox.head() && Date.now() < deadline) await sleep(50);
    }
    stopping.abort();
    clearInterval(maintenance);
    unwatch();
    await Promise.allSettled([detection, ...deliveries]);
    await Promise.allSettled(outputs.map(({ output }) => output.close()));
    embedded.close();
    log.info({ pending: spool.stats().pendingEvents }, 'kaudit serve stopped');
  };
  return {
    address: { host: addr.address, port: addr.port },
    metrics,
    reload,
    stop: () => {
      stopped ??= stop();
      return stopped;
    },
  };
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
