// An output that never completes a write (a file output on a FIFO nobody reads: its
// open and its writes block forever) must not hold up acknowledgements or the other
// outputs, must show as pending in /metrics, and must not keep SIGTERM from stopping the
// server. What it was owed stays in the outbox.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { auditEvent } from '../helpers/events.ts';
import { postBatchOn } from '../helpers/http-request.ts';
import { eventList, type ServeProcess, startServe } from '../helpers/serve.ts';
import {
  alertedIds,
  EVERY_EVENT_RULE,
  scrape,
  tempDir,
  waitFor,
  writeRules,
} from '../helpers/serve-kit.ts';

const NO_MKFIFO =
  spawnSync('mkfifo', ['--version']).status === 0 ? false : 'mkfifo (coreutils) is not installed';
const BATCHES = 10;
const BATCH_SIZE = 400;
const running: ServeProcess[] = [];
after(async () => {
  for (const s of running) await s.stop('SIGKILL');
});

test('an output stuck for good: acks and the other output go on, /metrics shows it pending, SIGTERM still exits 0', {
  skip: NO_MKFIFO,
}, async (t) => {
  const dir = tempDir();
  const fifo = join(dir, 'nobody-reads');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const file = join(dir, 'alerts.json');
  const s = await startServe([
    '-r',
    writeRules(dir, EVERY_EVENT_RULE),
    '--output',
    `file:${fifo}`,
    '--output',
    `file:${file}`,
  ]);
  running.push(s);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  for (let b = 0; b < BATCHES; b++) {
    const body = eventList(
      Array.from({ length: BATCH_SIZE }, (_, i) => auditEvent({ auditID: `stuck-${b}-${i}` })),
    );
    const status = await postBatchOn(agent, s.port, body);
    assert.equal(status, 200);
  }
  agent.destroy();
  await waitFor('every alert in the healthy file output', () =>
    alertedIds(file).length === BATCHES * BATCH_SIZE ? true : undefined,
  );
  const m = await scrape(s.port);
  const pendingStuck = m.value('kaudit_output_pending_alerts', { output: `file:${fifo}` });
  assert.ok(
    pendingStuck > BATCHES * BATCH_SIZE - 512,
    `the stuck output owes about ${BATCHES * BATCH_SIZE} alerts; /metrics says ${pendingStuck}`,
  );
  assert.equal(m.value('kaudit_output_pending_alerts', { output: `file:${file}` }), 0);
  assert.ok(m.value('process_resident_memory_bytes') < 300 * 2 ** 20);
  const t0 = Date.now();
  s.child.kill('SIGTERM');
  // Shutdown waits for delivery (20 s at most), then for the outputs to close (5 s).
  await waitFor(
    'the server to stop after SIGTERM',
    () => (/"msg":"kaudit serve stopped"/.test(s.stderr()) ? true : undefined),
    40_000,
  );
  t.diagnostic(`stopped ${Date.now() - t0} ms after SIGTERM`);
  // The process itself can only end once its open() of the FIFO returns (libuv joins its
  // threads at exit): a reader comes.
  const reader = createReadStream(fifo);
  reader.resume();
  assert.equal(await s.exited, 0, s.stderr().slice(-2000));
  reader.destroy();
});
