import type { OutputHooks, OutputStats } from './output.ts';

/** One queued entry: a rendered alert, or a run of alerts rendered together. */
export interface QueuedItem<T> {
  readonly seq: number;
  readonly value: T;
  /** Alerts in this entry (a parallel scan hands over many lines at once). */
  readonly count: number;
  readonly bytes: number;
  /** performance.now() when it was written, for the delivery latency. */
  readonly at: number;
}

/** How an entry ended; each one ends exactly once. */
export type Settlement = 'delivered' | 'failed' | 'dropped';

export interface DeliveryQueueOptions {
  /** Most alerts waiting (not counting those being delivered). */
  readonly maxAlerts: number;
  /** Most bytes waiting. */
  readonly maxBytes: number;
  /**
   * Longest a `flush` waits (see flush). Infinity: flush waits until everything is
   * settled and the queue never stalls, for a caller that keeps the alerts durably
   * itself and must not move past undelivered ones (`kaudit serve`'s outbox).
   */
  readonly flushTimeoutMs: number;
  readonly stats: OutputStats;
  /** The output's name, for the latency hook. */
  readonly name: string;
  readonly hooks?: OutputHooks;
  /** Called after each push: the sender takes it from there. */
  readonly wake: () => void;
}

/**
 * The bounded queue in front of a file, http or program output, and the bookkeeping
 * that gives `flush` its meaning.
 *
 * When a push does not fit, the oldest waiting entries are dropped (counted): the newest
 * alerts are the ones an ongoing incident needs. Entries taken by the sender are "in
 * flight" until it settles them.
 */
export interface DeliveryQueue<T> {
  push(value: T, count: number, bytes: number): void;
  /** Moves entries from the head into flight: at least one if any wait, then up to the limits. */
  take(maxEntries: number, maxBytes: number): QueuedItem<T>[];
  settle(items: readonly QueuedItem<T>[], how: Settlement): void;
  /**
   * Resolves once every entry pushed before the call has settled, or when
   * `flushTimeoutMs` has passed, whichever comes first. Reaching the bound marks the
   * queue stalled (`stats.stalls`); while it is stalled, flush resolves at once, and
   * it is no longer stalled once nothing is pending (everything settled). So a dead
   * destination holds up its caller for one bound, not one bound per call.
   */
  flush(): Promise<void>;
  /** As flush, waiting at most `timeoutMs` even when stalled (for close). */
  settleWithin(timeoutMs: number): Promise<void>;
  /** Drops every waiting entry (close). Entries in flight are left to their sender. */
  dropWaiting(): void;
  /** Entries waiting (not in flight). */
  readonly waiting: number;
  readonly stalled: boolean;
}

interface Waiter {
  readonly target: number;
  readonly resolve: () => void;
  readonly timer: NodeJS.Timeout | undefined;
}

/** Creates a DeliveryQueue; see its documentation. */
export function createDeliveryQueue<T>(opts: DeliveryQueueOptions): DeliveryQueue<T> {
  const { stats, hooks, name } = opts;
  let items: QueuedItem<T>[] = [];
  let head = 0;
  let waitingAlerts = 0;
  let waitingBytes = 0;
  let lastSeq = 0;
  let stalled = false;
  const inFlight = new Set<QueuedItem<T>>();
  let waiters: Waiter[] = [];

  // Entries are taken in order, so anything in flight is older than the queue's head.
  const oldestPending = (): number => {
    let min = Number.POSITIVE_INFINITY;
    for (const it of inFlight) if (it.seq < min) min = it.seq;
    if (min === Number.POSITIVE_INFINITY && head < items.length) {
      min = (items[head] as QueuedItem<T>).seq;
    }
    return min;
  };

  const wakeWaiters = (): void => {
    if (stats.pending === 0) stalled = false;
    if (waiters.length === 0) return;
    const oldest = oldestPending();
    const still: Waiter[] = [];
    for (const w of waiters) {
      if (w.target < oldest) {
        if (w.timer !== undefined) clearTimeout(w.timer);
        w.resolve();
      } else still.push(w);
    }
    waiters = still;
  };

  const removeHead = (): QueuedItem<T> => {
    const it = items[head] as QueuedItem<T>;
    items[head] = undefined as unknown as QueuedItem<T>;
    head++;
    // Compact now and then rather than shift() per entry (O(n) each).
    if (head > 1024 && head * 2 > items.length) {
      items = items.slice(head);
      head = 0;
    }
    waitingAlerts -= it.count;
    waitingBytes -= it.bytes;
    return it;
  };

  const end = (it: QueuedItem<T>, how: Settlement): void => {
    stats[how] += it.count;
    stats.pending -= it.count;
    if (how === 'delivered') hooks?.onLatency?.(name, performance.now() - it.at, it.count);
  };

  const wait = (timeoutMs: number, markStall: boolean): Promise<void> => {
    const target = lastSeq;
    if (oldestPending() > target) return Promise.resolve();
    return new Promise<void>((resolve) => {
      if (!Number.isFinite(timeoutMs)) {
        waiters.push({ target, resolve, timer: undefined });
        return;
      }
      const timer = setTimeout(() => {
        waiters = waiters.filter((w) => w.timer !== timer);
        if (markStall && oldestPending() <= target) {
          stalled = true;
          stats.stalls++;
        }
        resolve();
      }, timeoutMs);
      waiters.push({ target, resolve, timer });
    });
  };

  return {
    get waiting() {
      return items.length - head;
    },
    get stalled() {
      return stalled;
    },
    push(value, count, bytes) {
      if (count > opts.maxAlerts || bytes > opts.maxBytes) {
        stats.dropped += count;
        return;
      }
      while (
        head < items.length &&
        (waitingAlerts + count > opts.maxAlerts || waitingBytes + bytes > opts.maxBytes)
      ) {
        end(removeHead(), 'dropped');
      }
      lastSeq++;
      items.push({ seq: lastSeq, value, count, bytes, at: performance.now() });
      waitingAlerts += count;
      waitingBytes += bytes;
      stats.pending += count;
      wakeWaiters();
      opts.wake();
    },
    take(maxEntries, maxBytes) {
      const out: QueuedItem<T>[] = [];
      let size = 0;
      while (head < items.length && out.length < maxEntries) {
        const next = items[head] as QueuedItem<T>;
        if (out.length > 0 && size + next.bytes > maxBytes) break;
        removeHead();
        inFlight.add(next);
        out.push(next);
        size += next.bytes;
      }
      return out;
    },
    settle(done, how) {
      for (const it of done) {
        if (!inFlight.delete(it)) continue;
        end(it, how);
      }
      wakeWaiters();
    },
    flush() {
      if (stalled) return Promise.resolve();
      return wait(opts.flushTimeoutMs, true);
    },
    settleWithin(timeoutMs) {
      return wait(timeoutMs, false);
    },
    dropWaiting() {
      while (head < items.length) end(removeHead(), 'dropped');
      wakeWaiters();
    },
  };
}
