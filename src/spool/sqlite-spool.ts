import type Database from 'better-sqlite3';
import type { StateChanges } from '../engine/index.ts';
import { createNotifier } from './notifier.ts';
import type { Spool, SpoolBatch, SpoolBatchInput, SpoolStats } from './spool.ts';
import { SpoolUnavailableError } from './spool.ts';
import type { Migration } from './sqlite-db.ts';
import { createWalSync } from './wal-sync.ts';

/** The spool's tables; the outbox (outbox.ts) lives in the same database. */
export const SPOOL_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
CREATE TABLE batches (
  position INTEGER PRIMARY KEY AUTOINCREMENT,
  received_at INTEGER NOT NULL,
  origin TEXT NOT NULL,
  cluster TEXT,
  count INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  events TEXT NOT NULL
);
CREATE TABLE positions (name TEXT PRIMARY KEY, position INTEGER NOT NULL);
`,
  },
];

/**
 * Detection's state (correlation groups, matches waiting for their time), one row per
 * key, committed in one transaction with detection's position.
 */
export const STATE_MIGRATIONS: readonly Migration[] = [
  {
    version: 3,
    sql: 'CREATE TABLE detection_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);',
  },
];

/** Limits of the embedded spool. */
export interface SqliteSpoolOptions {
  /** Bytes of uncommitted events at which appends are refused (503). */
  readonly maxBytes: number;
  /** How long committed batches are kept (ms). */
  readonly retentionMs: number;
  /** Seconds a refused client is asked to wait (Retry-After). */
  readonly retryAfter?: number;
  /** Clock (tests). */
  readonly now?: () => number;
  /**
   * The ingest connection runs with `synchronous = NORMAL` and each group commit is made
   * durable by an fdatasync of the WAL on libuv's thread pool before its appends resolve
   * (wal-sync.ts): the same guarantee as FULL, without blocking the event loop.
   */
  readonly syncWal?: boolean;
}

const DETECTION = 'detection';
// Events of one batch are stored as one text, joined by newlines: an event is compact
// JSON (it is re-serialised at ingest), which never holds a raw newline.
const SEP = '\n';

/** A stored batch's events: a BLOB holds only ASCII, so Latin-1 reads it exactly. */
function splitEvents(stored: string | Buffer): string[] {
  const text = typeof stored === 'string' ? stored : stored.toString('latin1');
  return text === '' ? [] : text.split(SEP);
}

interface Row {
  position: number;
  received_at: number;
  origin: string;
  cluster: string | null;
  /** TEXT, or a BLOB of ASCII bytes (SpoolBatchInput.payload). */
  events: string | Buffer;
}

/**
 * The embedded spool: SQLite (WAL) through better-sqlite3, on two connections to one
 * file. `ingest` takes appends: when `append` resolves, the batch is on disk (FULL, or
 * NORMAL with `syncWal`). `state` (synchronous NORMAL: no fsync per commit) reads batches and records
 * positions, as the outbox does: losing its last commits to a power cut only means
 * processing a few batches again, which the outbox's keys make harmless, while an fsync
 * per processed batch would cost the webhook's acknowledgements their disk time.
 */
export function createSqliteSpool(
  ingest: Database.Database,
  state: Database.Database,
  opts: SqliteSpoolOptions,
): Spool {
  const db = state;
  const now = opts.now ?? Date.now;
  const retryAfter = opts.retryAfter ?? 10;
  const notifier = createNotifier();
  const walSync = opts.syncWal === true ? createWalSync(ingest.name) : undefined;
  const insert = ingest.prepare(
    'INSERT INTO batches (received_at, origin, cluster, count, bytes, events) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const select = db.prepare(
    'SELECT position, received_at, origin, cluster, events FROM batches WHERE position > ? ORDER BY position LIMIT ?',
  );
  const getPos = db.prepare('SELECT position FROM positions WHERE name = ?');
  const setPos = db.prepare(
    'INSERT INTO positions (name, position) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET position = excluded.position',
  );
  const totals = db.prepare(
    'SELECT COALESCE(SUM(bytes), 0) AS bytes, COALESCE(MAX(position), 0) AS head FROM batches',
  );
  const pendingQ = db.prepare(
    'SELECT COUNT(*) AS batches, COALESCE(SUM(count), 0) AS events, COALESCE(SUM(bytes), 0) AS bytes, MIN(received_at) AS oldest FROM batches WHERE position > ?',
  );
  const prune = db.prepare(
    'DELETE FROM batches WHERE position IN (SELECT position FROM batches WHERE position <= ? AND received_at < ? ORDER BY position LIMIT 1000)',
  );
  const putState = db.prepare(
    'INSERT INTO detection_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  const deleteState = db.prepare('DELETE FROM detection_state WHERE key = ?');
  const clearState = db.prepare('DELETE FROM detection_state');
  const selectState = db.prepare('SELECT key, value FROM detection_state');
  // One transaction: the position never moves without the state it goes with.
  const commitWithState = db.transaction((position: number, state: StateChanges | undefined) => {
    if (state !== undefined) {
      if (state.replace) clearState.run();
      for (const key of state.deletes) deleteState.run(key);
      for (const [key, value] of state.upserts) putState.run(key, value);
    }
    setPos.run(DETECTION, position);
  });
  const pruneOldest = db.prepare(
    'DELETE FROM batches WHERE position IN (SELECT position FROM batches WHERE position <= ? ORDER BY position LIMIT 100)',
  );

  let committed = (getPos.get(DETECTION) as { position: number } | undefined)?.position ?? 0;
  const t = totals.get() as { bytes: number; head: number };
  let bytes = t.bytes;
  let head = t.head;
  const p = pendingQ.get(committed) as {
    batches: number;
    events: number;
    bytes: number;
    oldest: number | null;
  };
  let pendingBatches = p.batches;
  let pendingEvents = p.events;
  let pendingBytes = p.bytes;
  let oldestPendingAt: number | undefined = p.oldest ?? undefined;
  let ioFailed = false;
  // Set when a batch that would fit an empty spool was refused for lack of room; cleared
  // when room is freed (a commit) or found (an append): /readyz reports the spool full
  // in between. `pendingBytes < maxBytes` alone almost never turns false, since an
  // append that would pass the limit is refused.
  let refusedForRoom = false;

  // Group commit: appends that arrive in the same turn of the event loop (requests on
  // other connections) share one transaction, so one fsync acknowledges them all. On this
  // VM an fsync took ~6 ms; one per request was most of a request's time under load.
  interface Queued {
    readonly batch: SpoolBatchInput;
    readonly text: string | Buffer;
    readonly size: number;
    resolve(position: number): void;
    reject(err: Error): void;
  }
  let queue: Queued[] = [];
  let queuedBytes = 0;
  const insertAll = ingest.transaction((items: readonly Queued[], at: number) =>
    items.map((q) =>
      Number(
        insert.run(
          at,
          q.batch.origin,
          q.batch.cluster ?? null,
          q.batch.events.length,
          q.size,
          q.text,
        ).lastInsertRowid,
      ),
    ),
  );
  const writeQueued = (): void => {
    const items = queue;
    queue = [];
    queuedBytes = 0;
    const receivedAt = now();
    let positions: number[];
    try {
      positions = insertAll(items, receivedAt);
      ioFailed = false;
    } catch (err) {
      ioFailed = true;
      const e = new SpoolUnavailableError(
        'SPOOL_IO',
        `spool write failed: ${(err as Error).message}`,
        retryAfter,
      );
      for (const q of items) q.reject(e);
      return;
    }
    items.forEach((q, i) => {
      const position = positions[i] as number;
      head = position;
      bytes += q.size;
      pendingBatches++;
      pendingEvents += q.batch.events.length;
      pendingBytes += q.size;
      oldestPendingAt ??= receivedAt;
    });
    notifier.notify();
    const acknowledge = (): void => {
      items.forEach((q, i) => {
        q.resolve(positions[i] as number);
      });
    };
    if (walSync === undefined) {
      acknowledge();
      return;
    }
    walSync.sync().then(acknowledge, (err: Error) => {
      ioFailed = true;
      const e = new SpoolUnavailableError(
        'SPOOL_IO',
        `spool sync failed: ${err.message}`,
        retryAfter,
      );
      for (const q of items) q.reject(e);
    });
  };

  const refreshPending = (): void => {
    refusedForRoom = false;
    const q = pendingQ.get(committed) as typeof p;
    pendingBatches = q.batches;
    pendingEvents = q.events;
    pendingBytes = q.bytes;
    oldestPendingAt = q.oldest ?? undefined;
  };

  return {
    append(batch: SpoolBatchInput): Promise<number> {
      // The webhook's bytes when it has them: a BLOB is stored without re-encoding.
      const text = batch.payload ?? batch.events.join(SEP);
      const size = text.length;
      if (pendingBytes + queuedBytes + size > opts.maxBytes) {
        if (size <= opts.maxBytes) refusedForRoom = true;
        return Promise.reject(
          new SpoolUnavailableError(
            'SPOOL_FULL',
            `spool full: ${pendingBytes + queuedBytes} bytes waiting for detection (limit ${opts.maxBytes})`,
            retryAfter,
          ),
        );
      }
      queuedBytes += size;
      refusedForRoom = false;
      return new Promise<number>((resolve, reject) => {
        queue.push({ batch, text, size, resolve, reject });
        if (queue.length === 1) setImmediate(writeQueued);
      });
    },
    async read(after, max): Promise<SpoolBatch[]> {
      const rows = select.all(after, max) as Row[];
      return rows.map((r) => ({
        position: r.position,
        receivedAt: r.received_at,
        origin: r.origin,
        ...(r.cluster !== null ? { cluster: r.cluster } : {}),
        events: splitEvents(r.events),
      }));
    },
    async commit(position, state) {
      if (position <= committed && state === undefined) return;
      commitWithState(Math.max(position, committed), state);
      committed = Math.max(position, committed);
      refreshPending();
    },
    async loadState() {
      return (selectState.all() as { key: string; value: string }[]).map((r) => [r.key, r.value]);
    },
    async committed() {
      return committed;
    },
    waitFor(after, signal) {
      if (head > after || signal.aborted) return Promise.resolve();
      return notifier.wait(signal);
    },
    observe(progress) {
      if (progress.committed !== undefined && progress.committed > committed) {
        committed = progress.committed;
        refreshPending();
      }
      if (progress.head !== undefined && progress.head > head) {
        head = progress.head;
        notifier.notify();
      }
    },
    async prune() {
      let removed = 0;
      const cutoff = now() - opts.retentionMs;
      for (;;) {
        const n = prune.run(committed, cutoff).changes;
        removed += n;
        if (n < 1000) break;
      }
      // Over the size limit with processed batches still kept: drop the oldest of them.
      let total = (totals.get() as { bytes: number }).bytes;
      while (total > opts.maxBytes) {
        const n = pruneOldest.run(committed).changes;
        if (n === 0) break;
        removed += n;
        total = (totals.get() as { bytes: number }).bytes;
      }
      bytes = total;
      return removed;
    },
    stats(): SpoolStats {
      return {
        pendingBatches,
        pendingEvents,
        bytes,
        head,
        committed,
        ...(oldestPendingAt !== undefined ? { oldestPendingAt } : {}),
      };
    },
    writable() {
      return !ioFailed && !refusedForRoom && pendingBytes < opts.maxBytes;
    },
    async close() {
      walSync?.close();
      notifier.notify();
    },
  };
}
