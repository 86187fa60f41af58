import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Alert } from '../../src/engine/index.ts';
import { createFileOutput, formatAlertJson } from '../../src/outputs/index.ts';
import { openEmbeddedSpool, runDelivery } from '../../src/spool/index.ts';
import { makeAlert } from '../helpers/alerts.ts';

const dir = mkdtempSync(join(tmpdir(), 'kaudit-resume-'));
let n = 0;
const file = (): string => join(dir, `alerts-${n++}.json`);
const alerts = (k: number, priority: Alert['priority'] = 'Warning'): Alert[] =>
  Array.from({ length: k }, (_, i) =>
    makeAlert({
      rule: `Rule ${i}`,
      priority,
      timeNs: String(1_700_000_000_000_000_000n + BigInt(i)),
    }),
  );
const line = (a: Alert): string => `${formatAlertJson(a)}\n`;

test('file output resume() counts the pending alerts a crash left at the end of the file', async () => {
  const path = file();
  const pending = alerts(5);
  writeFileSync(
    path,
    `${line(makeAlert({ rule: 'Earlier' }))}${pending.slice(0, 3).map(line).join('')}`,
  );
  const out = createFileOutput(path);
  assert.equal(await out.resume?.(pending), 3);
  await out.close();
});

test('file output resume() finds nothing of ours when the file ends with other alerts, or is missing', async () => {
  const path = file();
  const pending = alerts(4);
  writeFileSync(path, pending.slice(1, 3).map(line).join(''));
  const out = createFileOutput(path);
  assert.equal(await out.resume?.(pending), 0, 'the tail must start with the first pending alert');
  await out.close();
  const missing = createFileOutput(join(dir, 'sub-missing', 'x.json'));
  assert.equal(await missing.resume?.(pending), 0);
  await missing.close();
});

test('file output resume() drops a last line cut short by a crash, so it is written again whole', async () => {
  const path = file();
  const pending = alerts(3);
  const cut = line(pending[1] as Alert).slice(0, 40);
  writeFileSync(path, `${line(pending[0] as Alert)}${cut}`);
  const out = createFileOutput(path);
  assert.equal(await out.resume?.(pending), 1);
  assert.equal(readFileSync(path, 'utf8'), line(pending[0] as Alert));
  await out.close();
});

test('file output resume() counts alerts its filter leaves out as done', async () => {
  const path = file();
  const pending = [...alerts(1, 'Debug'), ...alerts(2, 'Error'), ...alerts(1, 'Debug')];
  // Only the Error alerts reach the file; both were written before the crash.
  writeFileSync(path, pending.slice(1, 3).map(line).join(''));
  const out = createFileOutput(path, { filter: { minPriority: 'Warning' } });
  assert.equal(await out.resume?.(pending), 4);
  await out.close();
});

test('runDelivery() after a crash between a write and its cursor gives each alert once', async () => {
  const data = mkdtempSync(join(tmpdir(), 'kaudit-resume-spool-'));
  const path = file();
  const embedded = openEmbeddedSpool(data, { maxBytes: 1e9, retentionMs: 60_000 });
  const outbox = embedded.outbox;
  const cursor = await outbox.cursor(`file:${path}`);
  const all = alerts(10);
  await outbox.add(all.map((alert, i) => ({ alert, key: `k${i}` })));
  // The crash: the first 6 reached the file, the cursor never moved.
  appendFileSync(path, all.slice(0, 6).map(line).join(''));
  assert.equal(await outbox.cursor(`file:${path}`), cursor);
  const out = createFileOutput(path);
  const stop = new AbortController();
  const loop = runDelivery({
    outbox,
    output: out,
    cursorName: `file:${path}`,
    signal: stop.signal,
  });
  while ((await outbox.cursor(`file:${path}`)) < outbox.head())
    await new Promise((r) => setTimeout(r, 20));
  stop.abort();
  await loop;
  await out.close();
  embedded.close();
  const written = readFileSync(path, 'utf8').trim().split('\n');
  assert.deepEqual(
    written.map((l) => (JSON.parse(l) as { rule: string }).rule),
    all.map((a) => a.rule),
  );
});
