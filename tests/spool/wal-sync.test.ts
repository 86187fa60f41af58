// Appends are made durable by an fdatasync of the WAL on libuv's thread pool (wal-sync.ts)
// instead of SQLite's FULL fsync inside the commit: an append resolves only once that
// sync succeeded, a failed sync refuses the batch (503 at the webhook), and closing never
// pulls the descriptor from under a sync still running.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import {
  createSqliteSpool,
  OUTBOX_MIGRATIONS,
  openEmbeddedSpool,
  SpoolUnavailableError,
} from '../../src/spool/index.ts';
import { openStateDb } from '../../src/spool/sqlite-db.ts';
import { SPOOL_MIGRATIONS, STATE_MIGRATIONS } from '../../src/spool/sqlite-spool.ts';
import { createWalSync } from '../../src/spool/wal-sync.ts';

const MIGRATIONS = [...SPOOL_MIGRATIONS, ...OUTBOX_MIGRATIONS, ...STATE_MIGRATIONS];
const tempDir = () => mkdtempSync(join(tmpdir(), 'kaudit-walsync-'));

test('a sync of an existing WAL resolves; one of a missing WAL rejects with the cause', async () => {
  const dir = tempDir();
  const db = openStateDb(dir, 'x.db', MIGRATIONS, 'NORMAL');
  db.exec("INSERT INTO positions (name, position) VALUES ('t', 1)");
  const ok = createWalSync(join(dir, 'x.db'));
  await ok.sync();
  ok.close();
  const missing = createWalSync(join(dir, 'absent.db'));
  await assert.rejects(missing.sync(), /ENOENT/);
  missing.close();
  db.close();
});

test('close() lets a running sync finish, then refuses new ones', async () => {
  const dir = tempDir();
  const db = openStateDb(dir, 'x.db', MIGRATIONS, 'NORMAL');
  db.exec("INSERT INTO positions (name, position) VALUES ('t', 1)");
  const w = createWalSync(join(dir, 'x.db'));
  const running = w.sync();
  w.close();
  await running; // EBADF here would mean the descriptor closed under it
  await assert.rejects(w.sync(), /closed/);
  db.close();
});

test('an append resolves only through a successful WAL sync: a failing one refuses the batch', async () => {
  // An in-memory database has no WAL file to sync: the commit succeeds, the sync fails,
  // and the append must not be acknowledged.
  const ingest = new Database(':memory:');
  for (const m of MIGRATIONS) ingest.exec(m.sql);
  const spool = createSqliteSpool(ingest, ingest, {
    maxBytes: 1 << 20,
    retentionMs: 60_000,
    syncWal: true,
  });
  await assert.rejects(
    spool.append({ events: ['{"a":1}'], origin: 't' }),
    (err: unknown) =>
      err instanceof SpoolUnavailableError &&
      err.code === 'SPOOL_IO' &&
      /spool sync failed/.test(err.message),
  );
  assert.equal(spool.writable(), false, '/readyz reports the spool unwritable');
  await spool.close();
  ingest.close();
});

test('the embedded spool acknowledges through the WAL sync and keeps what it acknowledged', async () => {
  const dir = tempDir();
  const a = openEmbeddedSpool(dir, { maxBytes: 1 << 20, retentionMs: 60_000 });
  const positions = await Promise.all(
    [1, 2, 3].map((n) => a.spool.append({ events: [`{"n":${n}}`], origin: 't' })),
  );
  a.close();
  const b = openEmbeddedSpool(dir, { maxBytes: 1 << 20, retentionMs: 60_000 });
  try {
    const read = await b.spool.read(0, 10);
    assert.deepEqual(
      read.map((x) => [x.position, x.events]),
      positions.map((p, i) => [p, [`{"n":${i + 1}}`]]),
    );
  } finally {
    b.close();
  }
});
