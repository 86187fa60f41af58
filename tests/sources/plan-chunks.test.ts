import assert from 'node:assert/strict';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { planChunks } from '../../src/sources/index.ts';

const MiB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'kaudit-plan-'));

/** A sparse file of `size` bytes (no disk space used). */
function sized(name: string, size: number): string {
  const p = join(dir, name);
  writeFileSync(p, '');
  truncateSync(p, size);
  return p;
}

test('planChunks() covers every file in order, the last stretch in quarter-size chunks', async () => {
  const a = sized('a.log', 700 * MiB);
  const gz = join(dir, 'b.log.gz');
  writeFileSync(gz, gzipSync('{}\n'));
  const c = sized('c.log', 300 * MiB + 5);
  const plan = await planChunks([a, gz, c], 2);
  assert.ok(plan !== undefined);
  const { chunks, totalBytes } = plan;
  assert.equal(totalBytes, 1000 * MiB + 5 + gzipSync('{}\n').length);
  assert.deepEqual(
    chunks.map((ch) => ch.index),
    chunks.map((_, i) => i),
  );
  // Each file's chunks are contiguous, from 0 to its size, in file order.
  for (const [path, size] of [
    [a, 700 * MiB],
    [c, 300 * MiB + 5],
  ] as const) {
    const mine = chunks.filter((ch) => ch.path === path);
    assert.equal(mine[0]?.start, 0);
    assert.equal(mine.at(-1)?.end, size);
    for (let i = 1; i < mine.length; i++) assert.equal(mine[i]?.start, mine[i - 1]?.end);
  }
  assert.deepEqual(
    chunks.filter((ch) => ch.gzip).map((ch) => ch.path),
    [gz],
  );
  const sizes = chunks.filter((ch) => !ch.gzip).map((ch) => ch.end - ch.start);
  assert.ok(sizes.every((s) => s <= 16 * MiB));
  // 16 MiB chunks, then 4 MiB ones for the last 2 x 2 x 16 MiB of the input.
  assert.equal(sizes[0], 16 * MiB);
  const fine = chunks.filter((ch) => ch.path === c).slice(-16);
  assert.ok(fine.every((ch) => ch.end - ch.start <= 4 * MiB));
  assert.ok(chunks.filter((ch) => ch.end - ch.start === 4 * MiB).length >= 15);
});

test('planChunks() keeps one chunk for an empty file and a fixed split with KAUDIT_CHUNK_BYTES', async () => {
  const empty = sized('empty.log', 0);
  const one = await planChunks([empty], 2);
  assert.deepEqual(
    one?.chunks.map((ch) => [ch.start, ch.end]),
    [[0, 0]],
  );
  const f = sized('fixed.log', 10_000);
  process.env.KAUDIT_CHUNK_BYTES = '3000';
  try {
    const plan = await planChunks([f], 2);
    assert.deepEqual(
      plan?.chunks.map((ch) => ch.end - ch.start),
      [3000, 3000, 3000, 1000],
    );
  } finally {
    delete process.env.KAUDIT_CHUNK_BYTES;
  }
});

test('planChunks() gives up on stdin', async () => {
  assert.equal(await planChunks(['-'], 2), undefined);
});
