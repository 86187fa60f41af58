import type { ServeConfig } from './config/serve-config.ts';
import type { Logger } from './log.ts';
import type { ServeMetrics } from './metrics.ts';
import type { ServeState } from './state.ts';

/** Outbox entries kept for an output that lags (beyond, its oldest are dropped). */
const OUTBOX_MAX_ENTRIES = 1_000_000;
const MAINTENANCE_MS = 30_000;

/**
 * Keeps the gauges in /metrics current: spool depth and lag, and the deliveries each
 * output counted since the last update. Also called before every scrape.
 */
export function createGaugeUpdater(
  state: ServeState,
  metrics: ServeMetrics,
  takeDuplicates: () => number,
): () => void {
  let lastDelivered = new Map<string, number>();
  return () => {
    metrics.duplicates.inc(takeDuplicates());
    const s = state.embedded.spool.stats();
    metrics.spoolPendingBatches.set(s.pendingBatches);
    metrics.spoolPendingEvents.set(s.pendingEvents);
    metrics.spoolBytes.set(s.bytes);
    metrics.spoolLagSeconds.set(
      s.oldestPendingAt === undefined ? 0 : (Date.now() - s.oldestPendingAt) / 1000,
    );
    const delivered = new Map<string, number>();
    for (const { spec, output } of state.outputs) {
      const before = lastDelivered.get(spec) ?? 0;
      const now = output.stats.delivered;
      if (now > before) metrics.deliveries.inc({ output: spec }, now - before);
      delivered.set(spec, now);
    }
    lastDelivered = delivered;
  };
}

/**
 * Every 30 s: prunes the spool (retention), the outbox (entries every output has passed,
 * once older than the spool's retention; a laggard's oldest beyond the cap, counted as
 * its drops) and the alert store (age and
 * count), and updates the gauges. Returns the function that stops it.
 */
export function startMaintenance(
  c: ServeConfig,
  state: ServeState,
  metrics: ServeMetrics,
  log: Logger,
  updateGauges: () => void,
): () => void {
  const timer = setInterval(() => {
    void state.embedded.spool.prune().catch(() => {});
    void state.embedded.outbox
      .prune(
        state.outputs.map((o) => o.spec),
        OUTBOX_MAX_ENTRIES,
        // Delivered alerts stay as long as the spool keeps events: an event sent again
        // within that time (the apiserver retrying a batch) is recognised and not alerted.
        c.spoolRetentionMs,
      )
      .then((skipped) => {
        for (const [spec, n] of skipped) metrics.deliveryDrops.inc({ output: spec }, n);
      });
    void state.store
      ?.prune({ maxAgeMs: c.storeRetentionMs, maxRows: c.storeMaxAlerts })
      .catch((err: unknown) => log.warn({ err: (err as Error).message }, 'store: prune failed'));
    updateGauges();
  }, MAINTENANCE_MS);
  timer.unref();
  return () => clearInterval(timer);
}
