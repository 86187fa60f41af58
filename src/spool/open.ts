import { type AlertOutbox, createSqliteOutbox, OUTBOX_MIGRATIONS } from './outbox.ts';
import type { Spool } from './spool.ts';
import { openStateDb } from './sqlite-db.ts';
import {
  createSqliteSpool,
  SPOOL_MIGRATIONS,
  type SqliteSpoolOptions,
  STATE_MIGRATIONS,
} from './sqlite-spool.ts';

const MIGRATIONS = [...SPOOL_MIGRATIONS, ...OUTBOX_MIGRATIONS, ...STATE_MIGRATIONS];

/** The embedded spool and outbox, sharing one SQLite file in the data directory. */
export interface EmbeddedSpool {
  readonly spool: Spool;
  readonly outbox: AlertOutbox;
  close(): void;
}

/**
 * Opens the spool's state side only (reads, positions, the outbox), for the detection
 * thread: the webhook's thread owns appends.
 */
export function openSpoolState(dataDir: string, opts: SqliteSpoolOptions): EmbeddedSpool {
  const state = openStateDb(dataDir, 'spool.db', MIGRATIONS, 'NORMAL');
  const spool = createSqliteSpool(state, state, opts);
  const outbox = createSqliteOutbox(state, opts.now);
  return {
    spool,
    outbox,
    close() {
      void spool.close();
      state.close();
    },
  };
}

/** Opens `spool.db` in `dataDir` (created on first use). */
export function openEmbeddedSpool(dataDir: string, opts: SqliteSpoolOptions): EmbeddedSpool {
  // Appends are durable before they resolve: NORMAL plus an fdatasync of the WAL off the
  // event loop (SqliteSpoolOptions.syncWal) rather than FULL's fsync inside the commit.
  const ingest = openStateDb(dataDir, 'spool.db', MIGRATIONS, 'NORMAL');
  const state = openStateDb(dataDir, 'spool.db', MIGRATIONS, 'NORMAL');
  const spool = createSqliteSpool(ingest, state, { syncWal: true, ...opts });
  const outbox = createSqliteOutbox(state, opts.now);
  return {
    spool,
    outbox,
    close() {
      void spool.close();
      state.close();
      ingest.close();
    },
  };
}
