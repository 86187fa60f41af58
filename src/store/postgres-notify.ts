import pg from 'pg';
import type { ListenerSet } from './listeners.ts';
import type { StoredAlert } from './store.ts';

/**
 * Live alerts across replicas: each insert NOTIFYs the ids it stored (delivered on
 * commit), and a store with subscribers LISTENs on its own connection and reads those
 * rows back. A NOTIFY payload is limited to 8000 bytes, so ids go in chunks.
 */
export interface PgNotifier {
  /** Starts listening (once); alerts go to `listeners`. */
  start(listeners: ListenerSet): void;
  /** Settles when the first LISTEN is in place (or failed): inserts wait for it. */
  ready(): Promise<void>;
  /** Queues the notification of `ids` in the caller's transaction. */
  notify(client: pg.ClientBase, ids: readonly string[]): Promise<void>;
  stop(): Promise<void>;
}

const PAYLOAD_MAX = 7900;
/** Notifications waiting to be read back; past this the oldest are dropped. */
const PENDING_MAX = 1000;
const RECONNECT_MAX_MS = 30_000;
const IDS = /^\d+(?:,\d+)*$/;

function chunkIds(ids: readonly string[]): string[] {
  const out: string[] = [];
  let cur = '';
  for (const id of ids) {
    if (cur.length + id.length + 1 > PAYLOAD_MAX) {
      out.push(cur);
      cur = '';
    }
    cur = cur === '' ? id : `${cur},${id}`;
  }
  if (cur !== '') out.push(cur);
  return out;
}

export function createPgNotifier(
  config: pg.ClientConfig,
  channel: string,
  fetchByIds: (ids: readonly string[]) => Promise<StoredAlert[]>,
): PgNotifier {
  let client: pg.Client | undefined;
  let started = false;
  let stopped = false;
  let retryMs = 500;
  let timer: NodeJS.Timeout | undefined;
  const pending: string[] = [];
  let draining = false;
  let target: ListenerSet | undefined;
  let firstListen: Promise<void> = Promise.resolve();

  const drain = async (): Promise<void> => {
    if (draining) return;
    draining = true;
    try {
      while (pending.length > 0 && !stopped) {
        const payload = pending.shift() as string;
        try {
          const alerts = await fetchByIds(payload.split(','));
          target?.emit(alerts);
        } catch {
          // The rows may be gone (deleted, pruned) or the pool closing: nothing to show.
        }
      }
    } finally {
      draining = false;
    }
  };

  const connect = async (): Promise<void> => {
    const c = new pg.Client(config);
    client = c;
    const retry = () => {
      if (stopped || client !== c) return;
      client = undefined;
      c.end().catch(() => {});
      timer = setTimeout(() => void connect(), retryMs);
      retryMs = Math.min(retryMs * 2, RECONNECT_MAX_MS);
    };
    c.on('error', retry);
    c.on('end', retry);
    c.on('notification', (msg) => {
      if (msg.channel !== channel || msg.payload === undefined || !IDS.test(msg.payload)) return;
      if (pending.length >= PENDING_MAX) pending.shift();
      pending.push(msg.payload);
      void drain();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
      retryMs = 500;
    } catch {
      retry();
    }
  };

  return {
    start(listeners) {
      target = listeners;
      if (started || stopped) return;
      started = true;
      firstListen = connect();
    },
    ready() {
      return firstListen;
    },
    async notify(c, ids) {
      for (const payload of chunkIds(ids)) {
        await c.query('SELECT pg_notify($1, $2)', [channel, payload]);
      }
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}
