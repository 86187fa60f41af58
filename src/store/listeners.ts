import type { AlertListener, StoredAlert } from './store.ts';

/** The subscribers of one store. A listener that throws is not the inserter's problem. */
export interface ListenerSet {
  readonly size: number;
  add(listener: AlertListener): () => void;
  emit(alerts: readonly StoredAlert[]): void;
}

export function createListenerSet(onChange?: (size: number) => void): ListenerSet {
  const listeners = new Set<AlertListener>();
  return {
    get size() {
      return listeners.size;
    },
    add(listener) {
      // A wrapper per subscription: the same function subscribed twice is two subscriptions.
      const entry: AlertListener = (a) => listener(a);
      listeners.add(entry);
      onChange?.(listeners.size);
      return () => {
        if (listeners.delete(entry)) onChange?.(listeners.size);
      };
    },
    emit(alerts) {
      for (const a of alerts) {
        for (const l of listeners) {
          try {
            l(a);
          } catch {
            // A subscriber's bug must not fail the insert that already committed.
          }
        }
      }
    },
  };
}
