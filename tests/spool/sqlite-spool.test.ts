// The embedded spool on real SQLite files: what append() acknowledged survives a reopen,
// retention by age and by size never touches what detection has not committed, and a
// write the disk refuses is a SpoolUnavailableError (503 with Retry-After at the webhook).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  createSqliteSpool,
  OUTBOX_MIGRATIONS,
  openEmbeddedSpool,
  SpoolUnavailableError,
  type SqliteSpoolOptions,
} from '../../src/spool/index.ts';
import { openStateDb } from '../../src/spool/sqlite-db.ts';
import { SPOOL_MIGRATIONS, STATE_MIGRATIONS } from '../../src/spool/sqlite-spool.ts';

const batch = (text: string) => ({ events: [text], origin: 'test' });
const tempDir = () => mkdtempSync(join(tmpdir(), 'kaudit-spool-'));

/** A spool on its own two connections, as openEmbeddedSpool makes it, with its handles. */
function open(dir: string, opts: SqliteSpoolOptions) {
  const migrations = [...SPOOL_MIGRATIONS, ...OUTBOX_MIGRATIONS, ...STATE_MIGRATIONS];
  const ingest = openStateDb(dir, 'spool.db', migrations, 'FULL');
  const state = openStateDb(dir, 'spool.db', migrations, 'NORMAL');
  const spool = createSqliteSpool(ingest, state, opts);
  return {
    spool,
    ingest,
    close: () => {
      state.close();
      ingest.close();
    },
  };
}

const texts = async (s: {
  read(after: number, max: number): Promise<{ readonly events: readonly string[] }[]>;
}) => (await s.read(0, 100)).flatMap((b) => b.events);

test('what append() resolved, and the committed position, are there after a reopen', async () => {
  const dir = tempDir();
  const a = openEmbeddedSpool(dir, { maxBytes: 1 << 20, retentionMs: 60_000 });
  const p1 = await a.spool.append(batch('{"a":1}'));
  const p2 = await a.spool.append({ events: ['{"b":2}', '{"c":3}'], origin: 'o', cluster: 'k' });
  await a.spool.commit(p1);
  a.close();
  const b = openEmbeddedSpool(dir, { maxBytes: 1 << 20, retentionMs: 60_000 });
  try {
    assert.equal(await b.spool.committed(), p1);
    const after = await b.spool.read(p1, 10);
    assert.deepEqual(
      after.map((x) => [x.position, x.events, x.cluster]),
      [[p2, ['{"b":2}', '{"c":3}'], 'k']],
    );
    const s = b.spool.stats();
    assert.deepEqual([s.pendingBatches, s.pendingEvents, s.head], [1, 2, p2]);
  } finally {
    b.close();
  }
});

test('prune() deletes committed batches older than the retention, never an uncommitted one', async () => {
  let clock = 1_000_000;
  const s = open(tempDir(), { maxBytes: 1 << 20, retentionMs: 60_000, now: () => clock });
  try {
    const p1 = await s.spool.append(batch('one'));
    clock += 1000;
    const p2 = await s.spool.append(batch('two'));
    clock += 1000;
    await s.spool.append(batch('three'));
    await s.spool.commit(p2);
    // Within the retention: everything stays (an event sent again is still recognised).
    clock += 30_000;
    assert.equal(await s.spool.prune(), 0);
    assert.deepEqual(await texts(s.spool), ['one', 'two', 'three']);
    // Past it for the first batch only.
    clock = 1_000_000 + 60_500;
    assert.equal(await s.spool.prune(), 1);
    assert.deepEqual(await texts(s.spool), ['two', 'three']);
    // Long past it for all three: the uncommitted one stays, however old.
    clock += 10 * 60_000;
    assert.equal(await s.spool.prune(), 1);
    assert.deepEqual(await texts(s.spool), ['three']);
    assert.ok(p1 < p2);
  } finally {
    s.close();
  }
});

test('prune() brings a spool over its size back under it by deleting committed batches, oldest first', async () => {
  const s = open(tempDir(), { maxBytes: 1000, retentionMs: 3_600_000 });
  try {
    const p1 = await s.spool.append(batch('a'.repeat(400)));
    await s.spool.commit(p1);
    const p2 = await s.spool.append(batch('b'.repeat(400)));
    await s.spool.commit(p2);
    await s.spool.append(batch('c'.repeat(400)));
    assert.equal(s.spool.stats().bytes, 1200);
    assert.ok((await s.spool.prune()) > 0);
    assert.ok(s.spool.stats().bytes <= 1000, `${s.spool.stats().bytes} bytes`);
    assert.deepEqual(await texts(s.spool), ['c'.repeat(400)]);
    assert.equal(s.spool.stats().pendingBatches, 1);
  } finally {
    s.close();
  }
});

test('a write the disk refuses (SQLITE_FULL) rejects with SPOOL_IO and a Retry-After, and the spool recovers', async () => {
  const s = open(tempDir(), { maxBytes: 1 << 30, retentionMs: 60_000, retryAfter: 7 });
  try {
    await s.spool.append(batch('fits'));
    // The database may not grow past its current size: the next page it needs is refused
    // by SQLite as a full disk would be.
    const pages = s.ingest.pragma('page_count', { simple: true }) as number;
    s.ingest.pragma(`max_page_count = ${pages}`);
    await assert.rejects(s.spool.append(batch('x'.repeat(200_000))), (err: unknown) => {
      assert.ok(err instanceof SpoolUnavailableError);
      assert.equal(err.code, 'SPOOL_IO');
      assert.equal(err.retryAfter, 7);
      return true;
    });
    assert.equal(s.spool.writable(), false, '/readyz must report the failing spool');
    assert.deepEqual(await texts(s.spool), ['fits'], 'nothing of the refused batch is kept');
    s.ingest.pragma('max_page_count = 1073741823');
    await s.spool.append(batch('after'));
    assert.equal(s.spool.writable(), true);
    assert.deepEqual(await texts(s.spool), ['fits', 'after']);
  } finally {
    s.close();
  }
});
