import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, collectDefaultMetrics, Registry } from 'prom-client';
import { createDecoder } from '../../events/index.ts';
import type { Output } from '../../outputs/index.ts';
import {
  createDetector,
  createDetectorCorrelator,
  type DetectorConfig,
} from '../../pipeline/index.ts';
import type { LoadedRule } from '../../rules/index.ts';
import { type AlertStore, openAlertStore } from '../../store/index.ts';
import { createBusMetrics } from '../bus-metrics.ts';
import { type BusOptions, DETECT_CONSUMER, partitionConsumer } from '../bus-options.ts';
import { type Bus, connectBus } from '../connect.ts';
import { runBatchStage } from './batch-stage.ts';
import { createAlertDelivery } from './deliver-alerts.ts';
import { runPartitionStage } from './partition-stage.ts';
import { openPartitionState, type PartitionStateStore } from './partition-state.ts';

/** What a detect worker runs with. */
export interface DetectOptions {
  readonly bus: BusOptions;
  /** The shared alert store: a postgres:// URL (it also keeps the correlation state). */
  readonly store: string;
  readonly rules: readonly LoadedRule[];
  readonly detector: DetectorConfig;
  readonly outputs: readonly Output[];
  readonly maxEventSize: number;
  readonly cluster?: string;
  /** Where /healthz, /readyz and /metrics answer. */
  readonly listen: { readonly host: string; readonly port: number };
  readonly log: {
    info(o: object, msg: string): void;
    warn(o: object, msg: string): void;
    error(o: object, msg: string): void;
  };
}

/** A running worker. */
export interface RunningDetect {
  readonly address: { readonly host: string; readonly port: number };
  /** Stops pulling, finishes the messages in hand (stored, delivered, acked), closes. */
  stop(): Promise<void>;
}

const STORE_CHECK_MS = 5_000;

/**
 * Starts `kaudit detect`: connects to the bus and the store, then runs both stages
 * (batch-stage.ts: plain rules and routing; partition-stage.ts: correlation) until
 * stopped, with /healthz, /readyz (bus connected, store reachable, stages running) and
 * /metrics (consumer lag, acks, redeliveries, publish latency) on `listen`.
 */
export async function startDetectWorker(o: DetectOptions): Promise<RunningDetect> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = createBusMetrics(registry);
  const events = new Counter({
    name: 'kaudit_detect_events_total',
    help: 'Events in the batches this worker acknowledged.',
    registers: [registry],
  });
  const alerts = new Counter({
    name: 'kaudit_detect_alerts_total',
    help: 'Alerts this worker raised, by stage (batch: plain rules; correlation).',
    labelNames: ['stage'],
    registers: [registry],
  });
  const failures = new Counter({
    name: 'kaudit_detect_failures_total',
    help: 'Messages whose processing failed and were handed back to the bus.',
    labelNames: ['stage'],
    registers: [registry],
  });
  let bus: Bus | undefined;
  let store: AlertStore | undefined;
  let state: PartitionStateStore | undefined;
  const closeAll = async (): Promise<void> => {
    await bus?.close().catch(() => {});
    await state?.close().catch(() => {});
    await store?.close().catch(() => {});
  };
  try {
    bus = await connectBus(o.bus, 'kaudit-detect');
    store = await openAlertStore(o.store);
    state = await openPartitionState(o.store);
  } catch (err) {
    await closeAll();
    throw err;
  }
  const theBus = bus;
  const theStore = store;
  let storeOk = true;
  const storeTimer = setInterval(() => {
    theStore
      .schemaVersion()
      .then(() => {
        storeOk = true;
      })
      .catch(() => {
        storeOk = false;
      });
  }, STORE_CHECK_MS);
  storeTimer.unref();
  const stopping = new AbortController();
  const detector = createDetector(o.rules, o.detector, 'steps');
  const decoder = createDecoder({
    maxEventSize: o.maxEventSize,
    ...(o.cluster !== undefined ? { cluster: o.cluster } : {}),
  });
  const deliver = createAlertDelivery(theStore, o.outputs);
  let failed: string | undefined;
  const fail = (stage: string) => (err: unknown) => {
    failed = `${stage} stage stopped: ${(err as Error).message}`;
    o.log.error({ stage, err: (err as Error).message }, 'detect stage failed');
  };
  // A failure inside the batch stage (the store down, a publish or an ack timing out while
  // the bus elects a leader) ends that pipeline run, not the worker: what it held is
  // unacknowledged and comes back after the ack wait; the stage starts again.
  const batchStage = (async () => {
    while (!stopping.signal.aborted) {
      try {
        await runBatchStage({
          bus: theBus,
          detector,
          decoder,
          deliver,
          metrics,
          signal: stopping.signal,
          onBatch: (n, a) => {
            events.inc(n);
            alerts.inc({ stage: 'batch' }, a);
          },
        });
      } catch (err) {
        failures.inc({ stage: 'batch' });
        o.log.warn({ err: (err as Error).message }, 'batch stage failed; restarting');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  })().catch(fail('batch'));
  const partitionStage =
    detector.engine.statefulRules.length === 0
      ? Promise.resolve()
      : runPartitionStage({
          bus: theBus,
          state,
          createCorrelator: () =>
            createDetectorCorrelator(detector.engine, {
              ...o.detector,
              correlation: { ...o.detector.correlation, durable: true },
            }),
          deliver,
          metrics,
          signal: stopping.signal,
          onApplied: (_p, a) => alerts.inc({ stage: 'correlation' }, a),
          onError: (p, err) => {
            failures.inc({ stage: 'correlation' });
            o.log.warn(
              { partition: p, err: err.message },
              'correlation message failed; handed back',
            );
          },
        }).catch(fail('correlation'));

  const consumers = [
    DETECT_CONSUMER,
    ...(detector.engine.statefulRules.length === 0
      ? []
      : Array.from({ length: o.bus.partitions }, (_, p) => partitionConsumer(p))),
  ];
  const scrape = async (): Promise<void> => {
    metrics.connected.set(theBus.connected() ? 1 : 0);
    await Promise.all(
      consumers.map(async (name) => {
        const ci = await theBus.jsm.consumers.info(o.bus.stream, name).catch(() => undefined);
        if (ci === undefined) return;
        metrics.consumerPending.set({ consumer: name }, ci.num_pending);
        metrics.consumerAckPending.set({ consumer: name }, ci.num_ack_pending);
        metrics.consumerRedelivered.set({ consumer: name }, ci.num_redelivered);
      }),
    );
  };
  let draining = false;
  const readiness = (): string[] => {
    const reasons: string[] = [];
    if (draining) reasons.push('shutting down');
    if (!theBus.connected()) reasons.push('bus not connected');
    if (!storeOk) reasons.push('alert store unreachable');
    if (failed !== undefined) reasons.push(failed);
    return reasons;
  };
  const http: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else if (url === '/readyz') {
      const reasons = readiness();
      res
        .writeHead(reasons.length === 0 ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ready: reasons.length === 0, reasons }));
    } else if (url === '/metrics') {
      scrape()
        .then(() => registry.metrics())
        .then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text))
        .catch((err: Error) => res.writeHead(500).end(err.message));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(o.listen.port, o.listen.host, () => resolve());
  });
  const addr = http.address() as AddressInfo;
  o.log.info(
    {
      listen: `${addr.address}:${addr.port}`,
      rules: detector.engine.activeRules.length,
      stateful: detector.engine.statefulRules.length,
      partitions: o.bus.partitions,
    },
    'kaudit detect started',
  );
  let stopped: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    draining = true;
    stopping.abort();
    // Each stage finishes the message it holds (stored, delivered, acked); what it had
    // pulled and not started goes back to the bus after the ack wait.
    await Promise.all([batchStage, partitionStage]);
    clearInterval(storeTimer);
    await Promise.all(o.outputs.map((out) => out.close().catch(() => {})));
    await closeAll();
    await new Promise<void>((r) => http.close(() => r()));
    o.log.info({}, 'kaudit detect stopped');
  };
  return {
    address: { host: addr.address, port: addr.port },
    stop: () => {
      stopped ??= stop();
      return stopped;
    },
  };
}
