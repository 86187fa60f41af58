/**
 * Wakes waiters when something was appended: in-process, for the embedded spool and
 * outbox. Waiters also time out so that a missed wake-up costs at most `maxWaitMs`.
 */
export interface Notifier {
  notify(): void;
  /** Resolves on the next notify, after `maxWaitMs`, or when `signal` aborts. */
  wait(signal: AbortSignal, maxWaitMs?: number): Promise<void>;
}

export function createNotifier(): Notifier {
  let waiters: (() => void)[] = [];
  return {
    notify() {
      const w = waiters;
      waiters = [];
      for (const f of w) f();
    },
    wait(signal, maxWaitMs = 1000) {
      if (signal.aborted) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, maxWaitMs);
        signal.addEventListener('abort', done, { once: true });
        waiters.push(done);
      });
    },
  };
}
