import type Database from 'better-sqlite3';
import type { Alert } from '../engine/index.ts';
import { createNotifier } from './notifier.ts';
import type { Migration } from './sqlite-db.ts';

/**
 * Alerts decided by detection, waiting to be delivered to each output. Detection adds a
 * batch's alerts before it commits the batch; each output has its own cursor, so a slow
 * or dead output neither blocks the others nor loses its place across a restart.
 *
 * An alert with a key (auditID, stage and rule) is added once: a batch processed again
 * after a crash, or an event the apiserver sent twice, adds nothing new.
 */
export interface AlertOutbox {
  /** Adds alerts (each once by key); returns how many were new. */
  add(alerts: readonly KeyedAlert[]): Promise<{ added: number; duplicates: number }>;
  /** Up to `max` entries after `id`, oldest first. */
  read(after: number, max: number): Promise<OutboxEntry[]>;
  /** An output's cursor: the last entry delivered to it; new outputs start at the end. */
  cursor(output: string): Promise<number>;
  setCursor(output: string, id: number): Promise<void>;
  /** Resolves once an entry after `id` exists, or when `signal` aborts. */
  waitFor(after: number, signal: AbortSignal): Promise<void>;
  /** The last entry's id (0 when empty). */
  head(): number;
  /** Another writer (detection, on another thread) added up to `id`: wakes readers. */
  observe(id: number): void;
  /**
   * Deletes entries every listed output has passed once they are older than `keepMs`
   * (until then their keys still suppress repeats of their events), and beyond
   * `maxEntries` the oldest ones whatever their age, even if some output has not passed
   * them (that output's cursor is moved past them and the skipped count returned per
   * output, to be counted as drops).
   */
  prune(
    outputs: readonly string[],
    maxEntries: number,
    keepMs?: number,
  ): Promise<Map<string, number>>;
}

/** An alert and the identity that makes it unique, when it has one. */
export interface KeyedAlert {
  readonly alert: Alert;
  /** `auditID/stage/rule`, or undefined for events without an auditID. */
  readonly key?: string;
}

export interface OutboxEntry {
  readonly id: number;
  readonly alert: Alert;
}

export const OUTBOX_MIGRATIONS: readonly Migration[] = [
  {
    version: 2,
    sql: `
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT UNIQUE,
  created_at INTEGER NOT NULL,
  alert TEXT NOT NULL
);
CREATE TABLE output_cursors (output TEXT PRIMARY KEY, id INTEGER NOT NULL);
`,
  },
];

/**
 * An alert as stored: the alert without its event, and the event as JSON text. The event
 * text is the one read from the spool when the engine kept it (`eventText`), so storing an
 * alert does not serialise its event again: it was most of the cost of adding alerts.
 */
export function serializeAlert(alert: Alert): string {
  const { event, eventText, ...rest } = alert;
  const e = eventText ?? (event === undefined ? 'null' : JSON.stringify(event));
  return `{"a":${JSON.stringify(rest)},"e":${e}}`;
}

/** The inverse of serializeAlert (the event comes back as an object). */
export function deserializeAlert(text: string): Alert {
  const v = JSON.parse(text) as { a: Alert; e: Record<string, unknown> | null };
  return v.e === null ? v.a : { ...v.a, event: v.e };
}

/** The SQLite outbox, in the spool's database. */
export function createSqliteOutbox(
  db: Database.Database,
  now: () => number = Date.now,
): AlertOutbox {
  const notifier = createNotifier();
  const insert = db.prepare(
    'INSERT OR IGNORE INTO outbox (key, created_at, alert) VALUES (?, ?, ?)',
  );
  const select = db.prepare('SELECT id, alert FROM outbox WHERE id > ? ORDER BY id LIMIT ?');
  const getCursor = db.prepare('SELECT id FROM output_cursors WHERE output = ?');
  const putCursor = db.prepare(
    'INSERT INTO output_cursors (output, id) VALUES (?, ?) ON CONFLICT(output) DO UPDATE SET id = excluded.id',
  );
  const maxId = db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM outbox');
  const deleteUpTo = db.prepare('DELETE FROM outbox WHERE id <= ?');
  const deleteOlder = db.prepare('DELETE FROM outbox WHERE id <= ? AND created_at <= ?');
  let head = (maxId.get() as { id: number }).id;

  const addAll = db.transaction((alerts: readonly KeyedAlert[], at: number) => {
    let added = 0;
    for (const { alert, key } of alerts) {
      const r = insert.run(key ?? null, at, serializeAlert(alert));
      if (r.changes > 0) {
        added++;
        head = Number(r.lastInsertRowid);
      }
    }
    return added;
  });

  const cursorOf = (output: string): number | undefined =>
    (getCursor.get(output) as { id: number } | undefined)?.id;

  return {
    async add(alerts) {
      if (alerts.length === 0) return { added: 0, duplicates: 0 };
      const added = addAll(alerts, now());
      if (added > 0) notifier.notify();
      return { added, duplicates: alerts.length - added };
    },
    async read(after, max) {
      const rows = select.all(after, max) as { id: number; alert: string }[];
      return rows.map((r) => ({ id: r.id, alert: deserializeAlert(r.alert) }));
    },
    async cursor(output) {
      let id = cursorOf(output);
      if (id === undefined) {
        // A new output starts with what comes next, not with the history.
        id = head;
        putCursor.run(output, id);
      }
      return id;
    },
    async setCursor(output, id) {
      putCursor.run(output, id);
    },
    waitFor(after, signal) {
      if (head > after || signal.aborted) return Promise.resolve();
      return notifier.wait(signal);
    },
    head: () => head,
    observe(id) {
      if (id <= head) return;
      head = id;
      notifier.notify();
    },
    async prune(outputs, maxEntries, keepMs = 0) {
      const skipped = new Map<string, number>();
      // Beyond maxEntries the oldest go, delivered or not: the laggards count them as drops.
      const floor = head - maxEntries;
      if (floor > 0) {
        for (const o of outputs) {
          const c = cursorOf(o) ?? head;
          if (c < floor) {
            skipped.set(o, floor - c);
            putCursor.run(o, floor);
          }
        }
        deleteUpTo.run(floor);
      }
      // Ids are allocated in order, so every output has passed the entries up to the
      // slowest cursor; those go once older than keepMs.
      const cursors = outputs.map((o) => cursorOf(o) ?? head);
      const upTo = cursors.length === 0 ? head : Math.min(...cursors);
      if (upTo > 0) deleteOlder.run(upTo, now() - keepMs);
      return skipped;
    },
  };
}
