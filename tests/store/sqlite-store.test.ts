import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import Database from 'better-sqlite3';
import { openAlertStore } from '../../src/store/index.ts';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite-schema.ts';
import { runStoreSuite } from './common.case.ts';

const root = mkdtempSync(join(tmpdir(), 'kaudit-sqlite-store-'));
after(() => rmSync(root, { recursive: true, force: true }));

runStoreSuite('SQLite', {
  latestVersion: SQLITE_MIGRATIONS.length,
  // openAlertStore: a data directory spec, the way `kaudit serve --data-dir` opens it.
  open: (key) => openAlertStore(join(root, key)),
  async createAtVersion(key, version) {
    mkdirSync(join(root, key), { recursive: true });
    const db = new Database(join(root, key, 'alerts.db'));
    db.exec('CREATE TABLE schema_version (version INTEGER NOT NULL)');
    for (let v = 1; v <= version; v++) {
      db.exec(SQLITE_MIGRATIONS[v - 1] as string);
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(v);
    }
    db.close();
  },
  async setSchemaVersion(key, version) {
    const db = new Database(join(root, key, 'alerts.db'));
    db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(version);
    db.close();
  },
});
