import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Output } from '../outputs/index.ts';
import type { DetectorConfig } from '../pipeline/index.ts';
import type { LoadedRule } from '../rules/index.ts';
import { runDelivery } from '../spool/index.ts';
import { buildServeApp } from './app.ts';
import { ConfigError } from './config/load-config.ts';
import type { ServeConfig } from './config/serve-config.ts';
import { runDetection } from './detection/run.ts';
import type { Logger } from './log.ts';
import { createGaugeUpdater, startMaintenance } from './maintenance.ts';
import { createServeMetrics, type ServeMetrics } from './metrics.ts';
import {
  loadErrors,
  loadServeRules,
  type ReloadResult,
  reloadRules,
  watchRules,
} from './rules-reload.ts';
import { resolveServeSecurity } from './security.ts';
import { settleWithin } from './settle-within.ts';
import { openServeState } from './state.ts';

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

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `kaudit serve`: loads the rules (refusing to start when they do not load),
 * opens the spool in the data directory, starts detection (spool → decode → rules →
 * outbox) and one delivery loop per output (outbox → output), and listens for the
 * apiserver's webhook, probes and Prometheus.
 */
export async function startServer(c: ServeConfig, deps: ServeDeps): Promise<RunningServer> {
  const { log } = deps;
  const security = resolveServeSecurity(c);
  const metrics = createServeMetrics();
  const detectorCfg: DetectorConfig = {
    ruleMatching: c.ruleMatching,
    hostname: deps.hostname,
    fastpath: true,
    keepEvent: true,
    ...(c.minPriority !== undefined ? { minPriority: c.minPriority } : {}),
    // Correlation state is committed with the spool position (detection/thread.ts).
    correlation: {
      durable: true,
      ...(c.correlationToleranceMs !== undefined ? { toleranceMs: c.correlationToleranceMs } : {}),
      ...(c.correlationMaxGroups !== undefined ? { maxGroups: c.correlationMaxGroups } : {}),
    },
  };
  const loaded = await loadServeRules(c.rules, c.minPriority);
  if (!loaded.ok) {
    throw new ConfigError(
      'CONFIG_VALUE',
      `rules failed to load:\n${loadErrors(loaded).join('\n')}`,
    );
  }
  let currentRules: readonly LoadedRule[] = loaded.rules;
  const state = await openServeState(c, deps.openOutput);
  const detection = await runDetection(c, detectorCfg, loaded.rules, state, metrics, log);
  const stopping = new AbortController();
  let draining = false;

  // Delivery: one loop per output, each from its own cursor.
  const outbox = state.embedded.outbox;
  const deliveries = state.outputs.map(({ spec, output }) =>
    runDelivery({
      outbox,
      output,
      cursorName: spec,
      signal: stopping.signal,
      onError: (err) =>
        log.error({ output: output.name, err: err.message }, 'output failed; retrying'),
    }),
  );
  const reload = (reason: string): Promise<ReloadResult> =>
    reloadRules(
      c.rules,
      c.minPriority,
      async (rules) => {
        const running = await detection.thread.swap(rules);
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
  const updateGauges = createGaugeUpdater(state, metrics, detection.takeDuplicates);
  const stopMaintenance = startMaintenance(c, state, metrics, log, updateGauges);

  const app = await buildServeApp({
    config: c,
    security,
    state,
    spool: detection.spool,
    metrics,
    log,
    readiness: () => {
      const reasons: string[] = [];
      if (draining) reasons.push('shutting down');
      const failure = detection.failure();
      if (failure !== undefined) reasons.push(`detection failed: ${failure}`);
      if (!state.embedded.spool.writable()) reasons.push('spool not writable (full or failing)');
      return { ready: reasons.length === 0, reasons };
    },
    draining: () => draining || detection.failure() !== undefined,
    updateGauges,
    rules: () => currentRules,
    reload,
  });
  const ctx: ServeContext = { metrics, reload, rules: () => currentRules };
  for (const plugin of deps.plugins ?? []) await plugin(app, ctx);

  const shutdown = async (deadline: number): Promise<void> => {
    stopping.abort();
    stopMaintenance();
    unwatch();
    await detection.thread.stop();
    // A delivery stuck in a flush (a receiver that never answers) must not hold the exit:
    // what it had not delivered stays in the outbox for the next start.
    await settleWithin(deliveries, Math.max(0, deadline - Date.now()));
    await state.close();
  };
  try {
    await app.listen({ host: c.listen.host, port: c.listen.port });
  } catch (err) {
    await shutdown(Date.now() + DRAIN_MS);
    throw new ConfigError(
      'CONFIG_VALUE',
      `cannot listen on ${c.listen.host}:${c.listen.port}: ${(err as Error).message}`,
    );
  }
  const addr = app.server.address() as AddressInfo;
  log.info(
    {
      listen: `${addr.address}:${addr.port}`,
      tls: security.tls !== undefined,
      clientCertAuth: c.clientCa !== undefined,
      tokens: security.webhookTokens.length,
      rules: currentRules.filter((r) => r.enabled).length,
      outputs: state.outputs.map(({ output }) => output.name),
      dataDir: c.dataDir,
      pending: state.embedded.spool.stats().pendingEvents,
    },
    'kaudit serve started',
  );

  const stop = async (): Promise<void> => {
    draining = true;
    log.info({}, 'shutting down: no new batches, draining');
    await app.close();
    const deadline = Date.now() + DRAIN_MS;
    // Let detection finish what was acknowledged, then delivery what detection decided.
    const head = state.embedded.spool.stats().head;
    while (
      detection.thread.committed < head &&
      detection.failure() === undefined &&
      Date.now() < deadline
    ) {
      await sleep(50);
    }
    await detection.thread.stop();
    for (const { spec } of state.outputs) {
      while ((await outbox.cursor(spec)) < outbox.head() && Date.now() < deadline) await sleep(50);
    }
    await shutdown(deadline);
    log.info({}, 'kaudit serve stopped');
  };
  let stopped: Promise<void> | undefined;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const scheme = security.tls === undefined ? 'http' : 'https';
  return {
    address: { host: addr.address, port: addr.port },
    ...(security.generatedToken !== undefined ? { generatedToken: security.generatedToken } : {}),
    ...(state.store !== undefined
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
