import { type AlertOutbox, createSqliteOutbox, OUTBOX_MIGRATIONS } from './outbox.ts';
import type { Spool } from './spool.ts';
import { openStateDb } from './sqlite-db.ts';
import { createSqliteSpool, SPOOL_MIGRATIONS, type SqliteSpoolOptions } from './sqlite-spool.ts';

/** The embedded spool and outbox, sharing one SQLite file in the data directory. */
export interface EmbeddedSpool {
  readonly spool: Spool;
  readonly outbox: AlertOutbox;
  close(): void;
}

/** Opens `spool.db` in `dataDir` (created on first use). */
export function openEmbeddedSpool(dataDir: string, opts: SqliteSpoolOptions): EmbeddedSpool {
  const db = openStateDb(dataDir, 'spool.db', [...SPOOL_MIGRATIONS, ...OUTBOX_MIGRATIONS]);
  const spool = createSqliteSpool(db, opts);
  const outbox = createSqliteOutbox(db, opts.now);
  return {
    spool,
    outbox,
    close() {
      void spool.close();
      db.close();
    },
  };
}
