import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openEmbeddedSpool, SpoolUnavailableError } from '../../src/spool/index.ts';

const batch = (bytes: number) => ({ events: ['x'.repeat(bytes)], origin: 'test' });

test('writable() turns false once a batch was refused for lack of room, and true again when room is freed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kaudit-spool-'));
  const { spool, close } = openEmbeddedSpool(dir, { maxBytes: 1000, retentionMs: 60_000 });
  try {
    const first = await spool.append(batch(600));
    assert.equal(spool.writable(), true);
    await assert.rejects(spool.append(batch(600)), (err: unknown) => {
      assert.ok(err instanceof SpoolUnavailableError);
      assert.equal(err.code, 'SPOOL_FULL');
      return true;
    });
    // 600 of 1000 bytes pending, but a batch like the last one no longer fits: /readyz
    // must say so, or a load balancer keeps sending batches that are all refused.
    assert.equal(spool.writable(), false);
    await spool.commit(first);
    assert.equal(spool.writable(), true);
    // A batch larger than the whole spool can never fit: it is refused, but the spool is
    // not full for the batches that can.
    await assert.rejects(spool.append(batch(1500)), SpoolUnavailableError);
    assert.equal(spool.writable(), true);
    await spool.append(batch(900));
    await assert.rejects(spool.append(batch(200)), SpoolUnavailableError);
    assert.equal(spool.writable(), false);
    // Room found for a smaller batch: writable again.
    await spool.append(batch(50));
    assert.equal(spool.writable(), true);
  } finally {
    close();
  }
});
