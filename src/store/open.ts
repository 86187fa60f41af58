import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createPostgresStore } from './postgres-store.ts';
import { createSqliteStore } from './sqlite-store.ts';
import { type AlertStore, StoreError } from './store.ts';

/** The SQLite file's name inside a data directory. */
export const SQLITE_FILE = 'alerts.db';

const POSTGRES_URL = /^postgres(?:ql)?:\/\//i;

/**
 * Opens the store a spec names: a `postgres://` (or `postgresql://`) URL, else a data
 * directory (created when missing) holding the SQLite file `alerts.db`. Runs the schema
 * migrations before it returns.
 */
export async function openAlertStore(spec: string): Promise<AlertStore> {
  if (spec.trim() === '')
    throw new StoreError('bad_spec', 'store: empty; give a directory or a postgres:// URL');
  if (POSTGRES_URL.test(spec)) return createPostgresStore({ url: spec });
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) {
    throw new StoreError(
      'bad_spec',
      `store: unsupported URL scheme in ${JSON.stringify(spec.replace(/\/\/[^@/]*@/, '//***@'))}; use a directory or postgres://`,
    );
  }
  mkdirSync(spec, { recursive: true });
  return createSqliteStore({ file: join(spec, SQLITE_FILE) });
}
