import type { AddressInfo } from 'node:net';
import { createBusMetrics } from '../bus/bus-metrics.ts';
import { BATCHES, busOptions, DETECT_CONSUMER } from '../bus/bus-options.ts';
import { connectBus } from '../bus/connect.ts';
import { createJetStreamSpool } from '../bus/jetstream-spool.ts';
import type { LoadedRule } from '../rules/index.ts';
import { type AlertStore, openAlertStore } from '../store/index.ts';
import { buildServeApp } from './app.ts';
import { ConfigError } from './config/load-config.ts';
import type { ServeConfig } from './config/serve-config.ts';
import { createServeMetrics } from './metrics.ts';
import { loadErrors, loadServeRules, type ReloadResult } from './rules-reload.ts';
import { resolveServeSecurity } from './security.ts';
import type { RunningServer, ServeContext, ServeDeps } from './serve.ts';

/** How often the store is checked for /readyz. */
const STORE_CHECK_MS = 5_000;

/**
 * `kaudit serve --bus`: a stateless ingest replica. Each accepted webhook batch is
 * published to the JetStream stream and answered 200 once JetStream acknowledged it;
 * `kaudit detect` workers run the rules. Any number of these sit behind one Service. With
 * a PostgreSQL store, the alerts API and the UI read what the workers stored.
 */
export async function startBusServer(c: ServeConfig, deps: ServeDeps): Promise<RunningServer> {
  const { log } = deps;
  const servers = c.bus ?? [];
  const security = resolveServeSecurity(c);
  const metrics = createServeMetrics();
  const busMetrics = createBusMetrics(metrics.registry);
  // The rules only describe themselves to the API here: the workers run them.
  const loaded = await loadServeRules(c.rules, c.minPriority);
  if (!loaded.ok) {
    throw new ConfigError(
      'CONFIG_VALUE',
      `rules failed to load:\n${loadErrors(loaded).join('\n')}`,
    );
  }
  let rules: readonly LoadedRule[] = loaded.rules;
  const bus = await connectBus(
    busOptions(servers, {
      ...(c.busReplicas !== undefined ? { replicas: c.busReplicas } : {}),
      ...(c.busPartitions !== undefined ? { partitions: c.busPartitions } : {}),
    }),
    'kaudit-serve',
  ).catch((err: Error) => {
    throw new ConfigError('CONFIG_VALUE', `--bus: ${err.message}`);
  });
  const subject = BATCHES(bus.options);
  const spool = createJetStreamSpool(bus, {
    onPublish: (ms, duplicate) => {
      busMetrics.publishLatency.observe({ subject }, ms / 1000);
      if (duplicate) busMetrics.publishDuplicates.inc();
    },
  });
  // Only a shared store makes sense behind replicas: the workers write to PostgreSQL.
  let store: AlertStore | undefined;
  if (c.store.startsWith('postgres://') || c.store.startsWith('postgresql://')) {
    store = await openAlertStore(c.store).catch(async (err: Error) => {
      await bus.close();
      throw new ConfigError('CONFIG_VALUE', `cannot open the alert store: ${err.message}`);
    });
  } else if (c.store !== 'none') {
    log.warn(
      { store: c.store },
      'with --bus the alert API needs a postgres:// store; serving none',
    );
  }
  let storeOk = true;
  const storeTimer = setInterval(() => {
    store
      ?.schemaVersion()
      .then(() => {
        storeOk = true;
      })
      .catch(() => {
        storeOk = false;
      });
  }, STORE_CHECK_MS);
  storeTimer.unref();
  let draining = false;
  const reload = async (reason: string): Promise<ReloadResult> => {
    const r = await loadServeRules(c.rules, c.minPriority);
    if (r.ok) rules = r.rules;
    log.info({ reason, ok: r.ok }, 'rules reloaded (descriptions only: workers run the rules)');
    return { ok: r.ok, errors: r.ok ? [] : loadErrors(r) };
  };
  const updateGauges = async (): Promise<void> => {
    busMetrics.connected.set(bus.connected() ? 1 : 0);
    const s = spool.stats();
    metrics.spoolPendingBatches.set(s.pendingBatches);
    metrics.spoolBytes.set(s.bytes);
    const info = await bus.jsm.consumers
      .info(bus.options.stream, DETECT_CONSUMER)
      .catch(() => undefined);
    if (info !== undefined) {
      busMetrics.consumerPending.set({ consumer: DETECT_CONSUMER }, info.num_pending);
      busMetrics.consumerAckPending.set({ consumer: DETECT_CONSUMER }, info.num_ack_pending);
      busMetrics.consumerRedelivered.set({ consumer: DETECT_CONSUMER }, info.num_redelivered);
    }
  };
  const app = await buildServeApp({
    config: c,
    security,
    state: store === undefined ? {} : { store },
    spool,
    metrics,
    log,
    readiness: () => {
      const reasons: string[] = [];
      if (draining) reasons.push('shutting down');
      if (!bus.connected()) reasons.push('bus not connected');
      else if (!spool.writable()) reasons.push('bus stream not writable (full or failing)');
      if (!storeOk) reasons.push('alert store unreachable');
      return { ready: reasons.length === 0, reasons };
    },
    draining: () => draining,
    updateGauges,
    rules: () => rules,
    reload,
  });
  const ctx: ServeContext = { metrics, reload, rules: () => rules };
  for (const plugin of deps.plugins ?? []) await plugin(app, ctx);
  const close = async (): Promise<void> => {
    clearInterval(storeTimer);
    await spool.close();
    await bus.close();
    await store?.close();
  };
  try {
    await app.listen({ host: c.listen.host, port: c.listen.port });
  } catch (err) {
    await close();
    throw new ConfigError(
      'CONFIG_VALUE',
      `cannot listen on ${c.listen.host}:${c.listen.port}: ${(err as Error).message}`,
    );
  }
  const addr = app.server.address() as AddressInfo;
  log.info(
    { listen: `${addr.address}:${addr.port}`, bus: servers.join(','), stream: bus.options.stream },
    'kaudit serve started (bus mode: batches go to JetStream)',
  );
  let stopped: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    draining = true;
    log.info({}, 'shutting down: no new batches; in-flight publishes finish');
    // app.close waits for the requests in flight, each of which waits for its JetStream ack.
    await app.close();
    await close();
    log.info({}, 'kaudit serve stopped');
  };
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const scheme = security.tls === undefined ? 'http' : 'https';
  return {
    address: { host: addr.address, port: addr.port },
    ...(security.generatedToken !== undefined ? { generatedToken: security.generatedToken } : {}),
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
