import type { Alert } from '../engine/index.ts';
import { createOutputStats, type Output } from '../outputs/index.ts';
import type { AlertOutbox, KeyedAlert } from './outbox.ts';

/**
 * Detection's output in `kaudit serve`: a batch's alerts are kept in memory and added to
 * the outbox on `flush`, which the pipeline awaits before it commits the batch. Each
 * alert is keyed by its event's identity and its rule, so adding a batch again (after a
 * crash, or an event sent twice) adds nothing.
 */
export function createOutboxOutput(outbox: AlertOutbox): Output & { readonly duplicates: number } {
  let pending: KeyedAlert[] = [];
  let duplicates = 0;
  const stats = createOutputStats();
  return {
    name: 'outbox',
    stats,
    closed: false,
    get duplicates() {
      return duplicates;
    },
    write(alert: Alert) {
      const key = alert.eventId === undefined ? undefined : `${alert.eventId}/${alert.rule}`;
      pending.push(key === undefined ? { alert } : { alert, key });
    },
    async flush() {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      const r = await outbox.add(batch);
      stats.delivered += r.added;
      duplicates += r.duplicates;
    },
    async close() {
      await this.flush();
    },
  };
}
