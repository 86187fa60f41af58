import type { Alert } from '../../engine/index.ts';
import type { Output } from '../../outputs/index.ts';
import type { AlertStore } from '../../store/index.ts';

/** Stores and delivers alerts; resolves once the store has them and every output flushed. */
export type DeliverAlerts = (
  alerts: readonly Alert[],
) => Promise<{ stored: number; duplicates: number }>;

/**
 * A worker's one way to its alert store and outputs. Both stages (batches and correlation
 * partitions) call it; calls run one at a time, since an output's write-then-flush is not
 * safe to interleave. The store insert is idempotent (auditID, stage, rule): a message
 * processed again after a worker died stores nothing twice; the outputs get the alert at
 * least once, as with the embedded outbox.
 */
export function createAlertDelivery(store: AlertStore, outputs: readonly Output[]): DeliverAlerts {
  let chain: Promise<unknown> = Promise.resolve();
  return (alerts) => {
    const run = async (): Promise<{ stored: number; duplicates: number }> => {
      if (alerts.length === 0) return { stored: 0, duplicates: 0 };
      const r = await store.insert(alerts.map(withEventObject));
      for (const o of outputs) for (const a of alerts) o.write(a);
      await Promise.all(outputs.map((o) => o.flush()));
      return { stored: r.inserted, duplicates: r.duplicates };
    };
    const next = chain.then(run, run);
    chain = next.catch(() => {});
    return next;
  };
}

/**
 * The store reads an alert's event as an object (its filter columns, redaction); an alert
 * fired by the correlator carries the event as text only, as the embedded outbox stores
 * it before handing it on parsed.
 */
function withEventObject(a: Alert): Alert {
  if (a.event !== undefined || a.eventText === undefined) return a;
  try {
    return { ...a, event: JSON.parse(a.eventText) as Record<string, unknown> };
  } catch {
    return a;
  }
}
