import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The bus's metrics, in the registry of the process (serve or detect). */
export interface BusMetrics {
  readonly publishLatency: Histogram<'subject'>;
  readonly publishDuplicates: Counter;
  readonly publishFailures: Counter;
  readonly consumerPending: Gauge<'consumer'>;
  readonly consumerAckPending: Gauge<'consumer'>;
  readonly consumerRedelivered: Gauge<'consumer'>;
  readonly acks: Counter<'consumer'>;
  readonly redeliveries: Counter<'consumer'>;
  readonly connected: Gauge;
}

/** Registers the bus metrics (names: `kaudit_bus_*`). */
export function createBusMetrics(registry: Registry): BusMetrics {
  const registers = [registry];
  return {
    publishLatency: new Histogram({
      name: 'kaudit_bus_publish_seconds',
      help: 'Time from publish to JetStream acknowledgement.',
      labelNames: ['subject'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    publishDuplicates: new Counter({
      name: 'kaudit_bus_publish_duplicates_total',
      help: 'Publishes JetStream recognised as a repeat of a message id (a retried batch).',
      registers,
    }),
    publishFailures: new Counter({
      name: 'kaudit_bus_publish_failures_total',
      help: 'Publishes that got no JetStream acknowledgement (answered 503).',
      registers,
    }),
    consumerPending: new Gauge({
      name: 'kaudit_bus_consumer_pending_messages',
      help: 'Messages of the stream the consumer has not delivered yet (its lag).',
      labelNames: ['consumer'],
      registers,
    }),
    consumerAckPending: new Gauge({
      name: 'kaudit_bus_consumer_ack_pending_messages',
      help: 'Messages delivered and not yet acknowledged.',
      labelNames: ['consumer'],
      registers,
    }),
    consumerRedelivered: new Gauge({
      name: 'kaudit_bus_consumer_redelivered_messages',
      help: 'Messages the consumer is redelivering now (JetStream consumer info).',
      labelNames: ['consumer'],
      registers,
    }),
    acks: new Counter({
      name: 'kaudit_bus_acks_total',
      help: 'Messages this process acknowledged (processed, alerts stored and delivered).',
      labelNames: ['consumer'],
      registers,
    }),
    redeliveries: new Counter({
      name: 'kaudit_bus_redeliveries_total',
      help: 'Messages this process received that had been delivered before (another worker died or was slow).',
      labelNames: ['consumer'],
      registers,
    }),
    connected: new Gauge({
      name: 'kaudit_bus_connected',
      help: '1 while the NATS connection is up.',
      registers,
    }),
  };
}
