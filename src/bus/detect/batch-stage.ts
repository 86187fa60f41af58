import type { JsMsg } from '@nats-io/jetstream';
import type { Alert, StepMatch } from '../../engine/index.ts';
import type { Decoder } from '../../events/index.ts';
import { createOutputStats, type Output } from '../../outputs/index.ts';
import { type Detector, runPipeline } from '../../pipeline/index.ts';
import type { SourceBatch } from '../../sources/index.ts';
import { decodeBatch } from '../batch-message.ts';
import type { BusMetrics } from '../bus-metrics.ts';
import { DETECT_CONSUMER, PARTITION_SUBJECT } from '../bus-options.ts';
import type { Bus } from '../connect.ts';
import type { DeliverAlerts } from './deliver-alerts.ts';
import { withEventRef } from './event-refs.ts';
import { encodeMatches } from './match-message.ts';
import { planRoutes, routeMatch } from './route-matches.ts';

/** Messages pulled per request: enough to keep a worker busy between round trips. */
const FETCH = 8;
/** How long a pull waits for messages on the server. */
const FETCH_EXPIRES_MS = 1_000;
/**
 * Matches per partition message: a match without its event is about 1 KB (the rule's
 * output fields), so 256 stay well under NATS's default max_payload of 1 MB.
 */
const MATCHES_PER_MESSAGE = 256;
/** A tick (the newest event time) reaches every partition at most this often. */
const TICK_MS = 1_000;

export interface BatchStageOptions {
  readonly bus: Bus;
  readonly detector: Detector;
  readonly decoder: Decoder;
  readonly deliver: DeliverAlerts;
  readonly metrics: BusMetrics;
  readonly signal: AbortSignal;
  /** Told of each batch acknowledged: events in it, alerts it raised. */
  readonly onBatch?: (events: number, alerts: number) => void;
}

/**
 * Stage one of a detect worker: pulls batches from the shared durable consumer, runs the
 * plain rules, and for stateful rules routes each step match to its correlation
 * partition. A batch is acknowledged only once its alerts are stored and delivered and
 * its matches are in the stream (JetStream acknowledged them, with ids made from the
 * batch's sequence, so a batch processed twice publishes them once); a worker that dies
 * before that leaves the batch to be redelivered to another after the ack wait.
 */
export async function runBatchStage(o: BatchStageOptions): Promise<void> {
  const { bus, detector, metrics } = o;
  const opts = bus.options;
  const engine = detector.engine;
  const stateful = engine.statefulRules;
  const routes = planRoutes(stateful);
  const consumer = await bus.js.consumers.get(opts.stream, DETECT_CONSUMER);
  const byPartition = new Map<number, StepMatch[]>();
  let maxTimeNs = '';
  let lastTick = 0;
  /** The event time the last tick carried: an idle worker sends the newer one it has. */
  let tickedTimeNs = '';
  let currentSeq = 0;
  let pendingAlerts: Alert[] = [];
  let batchAlerts = 0;

  const newer = (a: string, b: string): boolean =>
    a.length > b.length || (a.length === b.length && a > b);
  // The stateful rules' matches of each event go to their partitions; alerts of plain rules
  // are the detector's answer.
  const withRouting: Detector = {
    ...detector,
    process(rec) {
      const alerts = detector.process(rec);
      const steps = engine.steps;
      if (newer(rec.timeNs, maxTimeNs)) maxTimeNs = rec.timeNs;
      for (let i = 0; i < steps.length; i++) {
        const m = steps[i] as StepMatch;
        const plan = routes[m.rule] ?? { name: String(m.rule), bySuppression: false };
        routeMatch(withEventRef(m, currentSeq), plan, opts.partitions, (p, match) => {
          let list = byPartition.get(p);
          if (list === undefined) byPartition.set(p, (list = []));
          list.push(match);
        });
      }
      steps.length = 0;
      return alerts;
    },
  };

  const publish = async (
    p: number,
    matches: readonly StepMatch[],
    msgID?: string,
  ): Promise<void> => {
    const subject = PARTITION_SUBJECT(opts, p);
    const started = performance.now();
    const ack = await bus.js.publish(subject, encodeMatches(maxTimeNs, matches), {
      ...(msgID !== undefined ? { msgID } : {}),
      timeout: 10_000,
    });
    metrics.publishLatency.observe({ subject: 'corr' }, (performance.now() - started) / 1000);
    if (ack.duplicate) metrics.publishDuplicates.inc();
  };

  // Every partition's clock moves with the newest event time seen (a partition that gets
  // no matches would otherwise hold its last ones for ever); at most once a second, and
  // once more when the worker goes idle.
  const tick = async (skip: ReadonlySet<number> = new Set()): Promise<void> => {
    if (stateful.length === 0 || maxTimeNs === '' || maxTimeNs === tickedTimeNs) return;
    lastTick = Date.now();
    tickedTimeNs = maxTimeNs;
    const ticks: Promise<void>[] = [];
    for (let p = 0; p < opts.partitions; p++) if (!skip.has(p)) ticks.push(publish(p, []));
    await Promise.all(ticks);
  };

  // The batch's sink: alerts stored and delivered, then matches published, on flush (the
  // pipeline flushes after each batch, before its commit: the ack).
  const sink: Output = {
    name: 'bus-batch',
    stats: createOutputStats(),
    closed: false,
    write(a) {
      pendingAlerts.push(a);
    },
    async flush() {
      const alerts = pendingAlerts;
      pendingAlerts = [];
      batchAlerts += alerts.length;
      await o.deliver(alerts);
      const parts = [...byPartition];
      byPartition.clear();
      // In chunks, each well under the server's max_payload; ids stable across retries.
      const sends: Promise<void>[] = [];
      for (const [p, ms] of parts) {
        for (let k = 0; k * MATCHES_PER_MESSAGE < ms.length; k++) {
          const chunk = ms.slice(k * MATCHES_PER_MESSAGE, (k + 1) * MATCHES_PER_MESSAGE);
          sends.push(publish(p, chunk, `${currentSeq}:${p}:${k}`));
        }
      }
      await Promise.all(sends);
      if (Date.now() - lastTick >= TICK_MS) await tick(new Set(parts.map(([p]) => p)));
    },
    close: async () => {},
  };

  // Pulled whole before processing: a fetch broken by a node's death only loses the pull
  // (its messages are redelivered after the ack wait), not the pipeline.
  const pull = async (): Promise<JsMsg[]> => {
    const msgs: JsMsg[] = [];
    let guard: NodeJS.Timeout | undefined;
    try {
      const it = await consumer.fetch({ max_messages: FETCH, expires: FETCH_EXPIRES_MS });
      // A pull whose server died with it may never end: the client reconnects elsewhere,
      // and the request is gone with the server. Stop waiting well after its expiry.
      guard = setTimeout(() => it.stop(), FETCH_EXPIRES_MS + 4_000);
      for await (const m of it) msgs.push(m);
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    } finally {
      clearTimeout(guard);
    }
    return msgs;
  };
  const toSourceBatch = (m: JsMsg): SourceBatch => {
    if (m.info.deliveryCount > 1) metrics.redeliveries.inc({ consumer: DETECT_CONSUMER });
    const b = decodeBatch(m);
    return {
      origin: b.origin,
      firstLine: 1,
      lines: b.events,
      bytes: m.data.length,
      ...(b.cluster !== undefined ? { cluster: b.cluster } : {}),
      commit: async () => {
        await m.ackAck();
        metrics.acks.inc({ consumer: DETECT_CONSUMER });
        o.onBatch?.(b.events.length, batchAlerts);
        batchAlerts = 0;
      },
    };
  };
  const source = {
    name: 'bus',
    async *read(): AsyncGenerator<SourceBatch> {
      while (!o.signal.aborted) {
        const msgs = await pull();
        if (msgs.length === 0) await tick().catch(() => {});
        for (const [i, m] of msgs.entries()) {
          if (o.signal.aborted) {
            // Stopping: what was pulled and not started goes back to the others now.
            for (const rest of msgs.slice(i)) rest.nak();
            break;
          }
          // The sequence names the batch's match messages (their dedup ids); the pipeline
          // processes, flushes and commits this batch before the generator resumes.
          currentSeq = m.seq;
          yield toSourceBatch(m);
        }
      }
    },
  };
  await runPipeline({
    source,
    decoder: o.decoder,
    detector: withRouting,
    outputs: [sink],
    signal: o.signal,
    // Stopping is not the end of the input: nothing is flushed as end-of-input alerts.
    keepState: true,
  });
}
