import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Alert } from '../../src/engine/index.ts';
import { createSqliteOutbox, type KeyedAlert, OUTBOX_MIGRATIONS } from '../../src/spool/index.ts';
import { openStateDb } from '../../src/spool/sqlite-db.ts';

function keyed(id: string): KeyedAlert {
  const alert: Alert = {
    rule: 'R',
    priority: 'Warning',
    source: 'k8s_audit',
    tags: [],
    timeNs: '1767225600000000000',
    message: `alert ${id}`,
    outputFields: { 'ka.auditid': id },
    hostname: 'h',
    eventId: `${id}/ResponseComplete`,
  };
  return { alert, key: `${id}/ResponseComplete/R` };
}

function openOutbox() {
  let clock = 1_000_000;
  const db = openStateDb(
    mkdtempSync(join(tmpdir(), 'kaudit-outbox-')),
    'spool.db',
    OUTBOX_MIGRATIONS,
  );
  const outbox = createSqliteOutbox(db, () => clock);
  return {
    outbox,
    advance: (ms: number) => {
      clock += ms;
    },
    count: () => (db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n,
    close: () => db.close(),
  };
}

test('prune() keeps delivered alerts for keepMs, so an event sent again meanwhile is not alerted again', async () => {
  const o = openOutbox();
  try {
    assert.equal(await o.outbox.cursor('file'), 0);
    assert.deepEqual(await o.outbox.add([keyed('a'), keyed('b')]), { added: 2, duplicates: 0 });
    await o.outbox.setCursor('file', o.outbox.head());
    await o.outbox.prune(['file'], 1000, 60_000);
    assert.equal(o.count(), 2, 'delivered but younger than keepMs: kept');
    assert.deepEqual(await o.outbox.add([keyed('a')]), { added: 0, duplicates: 1 });
    o.advance(60_001);
    await o.outbox.prune(['file'], 1000, 60_000);
    assert.equal(o.count(), 0, 'delivered and older than keepMs: deleted');
    // Past the window the key is forgotten: the same event alerts again.
    assert.deepEqual(await o.outbox.add([keyed('a')]), { added: 1, duplicates: 0 });
  } finally {
    o.close();
  }
});

test('prune() never deletes what an output has not passed, unless past maxEntries (counted per output)', async () => {
  const o = openOutbox();
  try {
    await o.outbox.cursor('slow');
    await o.outbox.cursor('fast');
    await o.outbox.add(['a', 'b', 'c', 'd', 'e'].map(keyed));
    await o.outbox.setCursor('fast', 5);
    await o.outbox.setCursor('slow', 1);
    o.advance(10_000);
    assert.deepEqual([...(await o.outbox.prune(['slow', 'fast'], 100, 0))], []);
    assert.equal(o.count(), 4, 'only the entry both passed');
    // Beyond 3 entries the oldest go even when young, and the laggard is told how many.
    await o.outbox.add(['f', 'g'].map(keyed));
    await o.outbox.setCursor('fast', 7);
    const skipped = await o.outbox.prune(['slow', 'fast'], 3, 60_000);
    assert.deepEqual([...skipped], [['slow', 3]]);
    assert.equal(await o.outbox.cursor('slow'), 4);
    assert.equal(o.count(), 3);
  } finally {
    o.close();
  }
});
