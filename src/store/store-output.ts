import type { Alert } from '../engine/index.ts';
import { createOutputStats, type Output } from '../outputs/index.ts';
import type { AlertStore } from './store.ts';

/**
 * The alert store as an output (`kaudit serve` stores every alert it raises, `kaudit
 * scan --store` loads a log's alerts): alerts are buffered and inserted in one call per
 * flush. A store that fails makes `flush` reject, so serve's delivery keeps its cursor
 * and tries the same alerts again; inserts are idempotent, so a retry or a repeat after
 * a crash stores nothing twice.
 */
export function createStoreOutput(store: AlertStore, name = 'store'): Output {
  let pending: Alert[] = [];
  let closed = false;
  const stats = createOutputStats();
  return {
    name,
    stats,
    get closed() {
      return closed;
    },
    write(alert) {
      if (closed) {
        stats.dropped++;
        return;
      }
      pending.push(alert);
      stats.pending = pending.length;
    },
    async flush() {
      if (pending.length === 0) return;
      const batch = pending;
      try {
        await store.insert(batch);
      } catch (err) {
        stats.failed += batch.length;
        throw err;
      }
      pending = pending.slice(batch.length);
      stats.pending = pending.length;
      stats.delivered += batch.length;
    },
    async close() {
      try {
        await this.flush();
      } finally {
        closed = true;
      }
    },
  };
}
