import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** A schema change: applied once, in order, recorded in `schema_version`. */
export interface Migration {
  readonly version: number;
  readonly sql: string;
}

/**
 * Opens (creating when needed) an SQLite database in `dir` for durable state: WAL, so
 * readers never block the writer, and by default `synchronous = FULL`, so a commit is on
 * disk before it returns (an acknowledged webhook batch must survive a power cut, not only
 * a killed process). Applies the migrations not yet applied.
 */
export function openStateDb(
  dir: string,
  file: string,
  migrations: readonly Migration[],
  synchronous: 'FULL' | 'NORMAL' = 'FULL',
): Database.Database {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const db = new Database(join(dir, file));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  // Another process (or a stuck one) holding the write lock: wait a little, then fail.
  db.pragma('busy_timeout = 5000');
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as {
    v: number | null;
  };
  const current = row.v ?? 0;
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(m.version);
    })();
  }
  return db;
}
