import type Database from 'better-sqlite3';
import { StoreError } from './store.ts';

/**
 * SQLite schema migrations, applied in order inside one transaction each. Never edit a
 * shipped entry: add the next version.
 *
 * The event text lives in its own table so that scans of `alerts` (free-text search,
 * unindexed filters) read small rows. `time_ns` alone indexes the newest-first order
 * because SQLite appends the rowid (`id`) to every index entry. Each filter column a user
 * narrows by has an index ending in time_ns, so a filtered page reads only its rows.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE alerts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time_ns INTEGER NOT NULL,
    priority INTEGER NOT NULL,
    rule TEXT NOT NULL,
    source TEXT NOT NULL,
    tags TEXT NOT NULL,
    hostname TEXT NOT NULL,
    cluster TEXT,
    output TEXT NOT NULL,
    message TEXT NOT NULL,
    output_fields TEXT NOT NULL,
    namespace TEXT,
    user_name TEXT,
    verb TEXT,
    resource TEXT,
    name TEXT,
    audit_id TEXT,
    stage TEXT,
    source_ip TEXT,
    user_agent TEXT,
    response_code INTEGER,
    redacted INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE alert_events (
    id INTEGER PRIMARY KEY REFERENCES alerts (id) ON DELETE CASCADE,
    event TEXT NOT NULL
  );
  CREATE INDEX alerts_time ON alerts (time_ns);
  CREATE UNIQUE INDEX alerts_dedup ON alerts (audit_id, ifnull(stage, ''), rule)
    WHERE audit_id IS NOT NULL;
  CREATE INDEX alerts_rule_time ON alerts (rule, time_ns);
  CREATE INDEX alerts_priority_time ON alerts (priority, time_ns);
  CREATE INDEX alerts_namespace_time ON alerts (namespace, time_ns);
  CREATE INDEX alerts_user_time ON alerts (user_name, time_ns);`,
  // 2: a correlated rule's alert keeps what made it (count, window, group, auditIDs) as
  // JSON text, for the alert page; null for an alert of one event.
  'ALTER TABLE alerts ADD COLUMN correlation TEXT;',
];

/** Brings the database to the latest schema; returns the version it is at. */
export function migrateSqlite(db: Database.Database): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const migrate = db.transaction((): number => {
    const row = db.prepare('SELECT max(version) AS v FROM schema_version').get() as {
      v: number | null;
    };
    const current = row.v ?? 0;
    if (current > SQLITE_MIGRATIONS.length) {
      throw new StoreError(
        'schema_too_new',
        `the store is at schema version ${current}, this kaudit knows up to ${SQLITE_MIGRATIONS.length}: upgrade kaudit`,
      );
    }
    for (let v = current + 1; v <= SQLITE_MIGRATIONS.length; v++) {
      db.exec(SQLITE_MIGRATIONS[v - 1] as string);
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(v);
    }
    return SQLITE_MIGRATIONS.length;
  });
  // IMMEDIATE: two processes opening one new store must not both create the tables.
  return migrate.immediate();
}
