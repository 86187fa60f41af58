import type { Consumer, JsMsg } from '@nats-io/jetstream';
import type { Correlator } from '../../engine/index.ts';
import type { BusMetrics } from '../bus-metrics.ts';
import { partitionConsumer } from '../bus-options.ts';
import type { Bus } from '../connect.ts';
import type { DeliverAlerts } from './deliver-alerts.ts';
import { createEventResolver } from './event-refs.ts';
import { decodeMatches } from './match-message.ts';
import type { PartitionStateStore } from './partition-state.ts';

export interface PartitionStageOptions {
  readonly bus: Bus;
  readonly state: PartitionStateStore;
  /** A fresh correlator for the loaded rules (durable: it records its changes). */
  readonly createCorrelator: () => Correlator;
  readonly deliver: DeliverAlerts;
  readonly metrics: BusMetrics;
  readonly signal: AbortSignal;
  /** Told of each partition message applied, with the alerts it fired. */
  readonly onApplied?: (partition: number, alerts: number) => void;
  readonly onError?: (partition: number, err: Error) => void;
}

interface Cached {
  readonly correlator: Correlator;
  /** The stream sequence the correlator's state is at. */
  position: number;
}

/**
 * Stage two of a detect worker: correlation. Each partition's consumer lets one message
 * out at a time (max_ack_pending 1), to whichever worker pulls first, so a partition's
 * matches are correlated in stream order by one worker at a time. The worker applies a
 * message under the partition's row lock in PostgreSQL: when the stored position is not
 * the one its correlator is at (another worker applied messages since), it reloads the
 * state; it feeds the matches, stores and delivers the alerts, then writes the state and
 * the position in one transaction, then acknowledges. A worker that dies anywhere in
 * between leaves either nothing (the message is redelivered and applied from the stored
 * state; its alerts, if already stored, are duplicates the store refuses) or everything
 * but the ack (the redelivered message is at or below the position: acknowledged only).
 */
export async function runPartitionStage(o: PartitionStageOptions): Promise<void> {
  const opts = o.bus.options;
  const cache = new Map<number, Cached>();
  const resolveEvents = createEventResolver(o.bus);

  const apply = async (p: number, m: JsMsg): Promise<void> => {
    const tx = await o.state.begin(p);
    if (m.seq <= tx.position) {
      await tx.release();
      return;
    }
    let c = cache.get(p);
    try {
      if (c === undefined || c.position !== tx.position) {
        const correlator = o.createCorrelator();
        correlator.restore(await tx.load());
        correlator.takeChanges();
        c = { correlator, position: tx.position };
        cache.set(p, c);
      }
      const { t, m: matches } = decodeMatches(m.data);
      const alerts = [];
      for (const match of matches) alerts.push(...c.correlator.feed(match.timeNs, [match]));
      if (t !== '') alerts.push(...c.correlator.feed(t, []));
      await o.deliver(await resolveEvents(alerts));
      await tx.commit(m.seq, c.correlator.takeChanges());
      c.position = m.seq;
      o.onApplied?.(p, alerts.length);
    } catch (err) {
      // The correlator may be ahead of what was stored: rebuild it next time.
      cache.delete(p);
      await tx.rollback();
      throw err;
    }
  };

  const loop = async (p: number): Promise<void> => {
    const name = partitionConsumer(p);
    // Looked up once (an API request), and again only after a failed pull.
    let consumer: Consumer | undefined;
    while (!o.signal.aborted) {
      let m: JsMsg | null = null;
      try {
        consumer ??= await o.bus.js.consumers.get(opts.stream, name);
        m = await withTimeout(consumer.next({ expires: 1_000 }), 5_000);
      } catch {
        consumer = undefined;
        await new Promise((r) => setTimeout(r, 250));
        continue;
      }
      if (m === null) continue;
      if (m.info.deliveryCount > 1) o.metrics.redeliveries.inc({ consumer: name });
      try {
        await apply(p, m);
        await m.ackAck();
        o.metrics.acks.inc({ consumer: name });
      } catch (err) {
        o.onError?.(p, err as Error);
        // Back to the partition at once rather than after the ack wait (when the
        // connection allows; otherwise the ack wait does it).
        try {
          m.nak(500);
        } catch {}
      }
    }
  };
  await Promise.all(Array.from({ length: opts.partitions }, (_, p) => loop(p)));
}

/**
 * `p`, or null after `ms`: a pull whose server died with it may never answer (the client
 * reconnects elsewhere and the request is gone with the server).
 */
function withTimeout<T>(p: Promise<T | null>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), ms);
    }),
  ]);
}
