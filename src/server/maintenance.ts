import type { Counter } from 'prom-client';
import type { ServeConfig } from './config/serve-config.ts';
import type { Logger } from './log.ts';
import type { ServeMetrics } from './metrics.ts';
import type { ServeState } from './state.ts';

/** Outbox entries kept for an output that lags (beyond, its oldest are dropped). */
const OUTBOX_MAX_ENTRIES = 1_000_000;
const MAINTENANCE_MS = 30_000;

/**
 * Keeps the gauges in /metrics current: spool depth and lag, and each output's delivered,
 * failed and dropped alerts since the last update and the alerts it still owes. Also
 * called before every scrape.
 */
export function createGaugeUpdater(
  state: ServeState,
  metrics: ServeMetrics,
  takeDuplicates: () => number,
): () => Promise<void> {
  // Output counters are mirrored into Prometheus counters by their increase since the
  // last update; labelled with the output's name, which shows no credentials (a spec can
  // hold a token in a header option or a URL, and /metrics answers anyone on the port).
  const mirrored = new Map<string, number>();
  const mirror = (counter: Counter<'output'>, kind: string, name: string, value: number): void => {
    const key = `${kind}\u0000${name}`;
    const before = mirrored.get(key) ?? 0;
    if (value > before) counter.inc({ output: name }, value - before);
    mirrored.set(key, value);
  };
  const outbox = state.embedded.outbox;
  return async () => {
    metrics.duplicates.inc(takeDuplicates());
    const s = state.embedded.spool.stats();
    metrics.spoolPendingBatches.set(s.pendingBatches);
    metrics.spoolPendingEvents.set(s.pendingEvents);
    metrics.spoolBytes.set(s.bytes);
    metrics.spoolLagSeconds.set(
      s.oldestPendingAt === undefined ? 0 : (Date.now() - s.oldestPendingAt) / 1000,
    );
    for (const { spec, output } of state.outputs) {
      const st = output.stats;
      mirror(metrics.deliveries, 'delivered', output.name, st.delivered);
      mirror(metrics.deliveryFailures, 'failed', output.name, st.failed);
      mirror(metrics.deliveryDrops, 'dropped', output.name, st.dropped);
      const owed = outbox.head() - (await outbox.cursor(spec));
      metrics.outputPending.set({ output: output.name }, Math.max(0, owed));
    }
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
  updateGauges: () => Promise<void>,
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
        for (const { spec, output } of state.outputs) {
          const n = skipped.get(spec);
          if (n !== undefined) metrics.deliveryDrops.inc({ output: output.name }, n);
        }
      });
    void state.store
      ?.prune({ maxAgeMs: c.storeRetentionMs, maxRows: c.storeMaxAlerts })
      .catch((err: unknown) => log.warn({ err: (err as Error).message }, 'store: prune failed'));
    void updateGauges().catch(() => {});
  }, MAINTENANCE_MS);
  timer.unref();
  return () => clearInterval(timer);
}
