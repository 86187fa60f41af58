import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Every metric `kaudit serve` exports, in one registry per server. */
export interface ServeMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'route' | 'status'>;
  readonly events: Counter<'result' | 'reason'>;
  readonly bytes: Counter<'route'>;
  readonly ackLatency: Histogram<'route'>;
  readonly spoolPendingEvents: Gauge;
  readonly spoolPendingBatches: Gauge;
  readonly spoolBytes: Gauge;
  readonly spoolLagSeconds: Gauge;
  readonly alerts: Counter<'rule' | 'priority'>;
  readonly duplicates: Counter;
  readonly deliveries: Counter<'output'>;
  readonly deliveryFailures: Counter<'output'>;
  readonly deliveryDrops: Counter<'output'>;
  readonly outputPending: Gauge<'output'>;
  readonly rulesLoaded: Gauge;
  readonly ruleReloads: Counter<'result'>;
  readonly decodeRejects: Counter<'reason'>;
  readonly decodedEvents: Counter;
  readonly correlationGroups: Gauge;
  readonly correlationBuffered: Gauge;
  readonly correlationEvicted: Counter;
  readonly correlationLate: Counter;
  readonly correlationSuppressed: Counter;
}

/**
 * Creates the registry with process metrics (CPU, memory, event loop lag, GC) and ours.
 * Names follow Prometheus conventions: `kaudit_` prefix, `_total` counters, base units.
 */
export function createServeMetrics(): ServeMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const r = [registry];
  return {
    registry,
    requests: new Counter({
      name: 'kaudit_http_requests_total',
      help: 'HTTP requests by route and status code.',
      labelNames: ['route', 'status'],
      registers: r,
    }),
    events: new Counter({
      name: 'kaudit_webhook_events_total',
      help: 'Events received by the webhook: accepted, or rejected with a reason.',
      labelNames: ['result', 'reason'],
      registers: r,
    }),
    bytes: new Counter({
      name: 'kaudit_webhook_received_bytes_total',
      help: 'Request body bytes received (before gunzip).',
      labelNames: ['route'],
      registers: r,
    }),
    ackLatency: new Histogram({
      name: 'kaudit_webhook_ack_seconds',
      help: 'Time from a request arriving to its batch being durable and answered.',
      labelNames: ['route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: r,
    }),
    spoolPendingEvents: new Gauge({
      name: 'kaudit_spool_pending_events',
      help: 'Events accepted and not yet processed by detection.',
      registers: r,
    }),
    spoolPendingBatches: new Gauge({
      name: 'kaudit_spool_pending_batches',
      help: 'Batches accepted and not yet processed by detection.',
      registers: r,
    }),
    spoolBytes: new Gauge({
      name: 'kaudit_spool_bytes',
      help: 'Bytes held by the spool, processed batches kept for retention included.',
      registers: r,
    }),
    spoolLagSeconds: new Gauge({
      name: 'kaudit_spool_lag_seconds',
      help: 'Age of the oldest batch not yet processed by detection (0 when none).',
      registers: r,
    }),
    alerts: new Counter({
      name: 'kaudit_alerts_total',
      help: 'Alerts raised, by rule and priority.',
      labelNames: ['rule', 'priority'],
      registers: r,
    }),
    duplicates: new Counter({
      name: 'kaudit_alerts_suppressed_duplicates_total',
      help: 'Alerts not raised again because their event (auditID, stage) was already judged.',
      registers: r,
    }),
    deliveries: new Counter({
      name: 'kaudit_output_delivered_total',
      help: 'Alerts delivered, by output.',
      labelNames: ['output'],
      registers: r,
    }),
    deliveryFailures: new Counter({
      name: 'kaudit_output_failed_total',
      help: 'Alerts an output failed to deliver after its retries.',
      labelNames: ['output'],
      registers: r,
    }),
    deliveryDrops: new Counter({
      name: 'kaudit_output_dropped_total',
      help: 'Alerts an output dropped (queue full, or too far behind the outbox).',
      labelNames: ['output'],
      registers: r,
    }),
    outputPending: new Gauge({
      name: 'kaudit_output_pending_alerts',
      help: 'Alerts in the outbox not yet delivered to this output.',
      labelNames: ['output'],
      registers: r,
    }),
    rulesLoaded: new Gauge({
      name: 'kaudit_rules_loaded',
      help: 'Rules running (enabled, after selection).',
      registers: r,
    }),
    ruleReloads: new Counter({
      name: 'kaudit_rules_reloads_total',
      help: 'Rules reloads by result (ok, failed: the previous rules keep running).',
      labelNames: ['result'],
      registers: r,
    }),
    decodeRejects: new Counter({
      name: 'kaudit_detection_rejected_events_total',
      help: 'Spooled events the decoder rejected, by reason.',
      labelNames: ['reason'],
      registers: r,
    }),
    decodedEvents: new Counter({
      name: 'kaudit_detection_decoded_events_total',
      help: 'Spooled events detection read as audit events (the others: rejected, by reason).',
      registers: r,
    }),
    correlationGroups: new Gauge({
      name: 'kaudit_correlation_groups',
      help: 'Groups (and suppression windows) the correlated and suppressed rules hold.',
      registers: r,
    }),
    correlationBuffered: new Gauge({
      name: 'kaudit_correlation_buffered_matches',
      help: 'Step matches waiting in the reorder buffer for event time to pass them.',
      registers: r,
    }),
    correlationEvicted: new Counter({
      name: 'kaudit_correlation_evicted_total',
      help: 'Groups evicted to keep within --correlation-max-groups (their state was lost).',
      registers: r,
    }),
    correlationLate: new Counter({
      name: 'kaudit_correlation_late_total',
      help: 'Step matches that arrived later than --correlation-tolerance.',
      registers: r,
    }),
    correlationSuppressed: new Counter({
      name: 'kaudit_correlation_suppressed_total',
      help: 'Alerts held back by suppress: windows.',
      registers: r,
    }),
  };
}
