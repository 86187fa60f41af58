// Graceful shutdown of a detect worker under load: SIGTERM finishes the batch in hand
// (stored, acknowledged) and hands back what it had pulled and not started, so the other
// worker takes it at once rather than after the ack wait; nothing is lost or doubled.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { BUS_RULES, freshStoreUrl, queryStore, runEvent } from '../helpers/bus-kit.ts';
import { type DetectProcess, startDetect } from '../helpers/detect.ts';
import { postAudit } from '../helpers/http-request.ts';
import { NATS_SKIP, startTestNats, type TestNatsCluster } from '../helpers/nats.ts';
import { POSTGRES_SKIP } from '../helpers/postgres.ts';
import { eventList, type ServeProcess, startServe } from '../helpers/serve.ts';
import { tempDir, waitFor, writeRules } from '../helpers/serve-kit.ts';

const skip = NATS_SKIP || POSTGRES_SKIP;
const procs: (ServeProcess | DetectProcess)[] = [];
let nats: TestNatsCluster | undefined;
after(async () => {
  for (const p of procs) await p.stop('SIGKILL');
  nats?.stop();
});

const ACK_WAIT_S = 60;

test('SIGTERM on a busy worker: it exits 0, and the rest is alerted once, well within the ack wait', {
  skip,
  timeout: 180_000,
}, async () => {
  nats = await startTestNats();
  const store = await freshStoreUrl();
  const rules = writeRules(tempDir(), BUS_RULES);
  const common = ['--bus', nats.url, '--bus-replicas', '3', '--bus-partitions', '2'];
  const serve = await startServe(['-r', rules, '--store', 'none', ...common]);
  procs.push(serve);
  const workers: DetectProcess[] = [];
  for (let i = 0; i < 2; i++) {
    const w = await startDetect([
      '-r',
      rules,
      '--store',
      store,
      '--bus-ack-wait',
      `${ACK_WAIT_S}s`,
      ...common,
    ]);
    workers.push(w);
    procs.push(w);
  }
  const N = 20_000;
  for (let b = 0; b < N / 250; b++) {
    const items = Array.from({ length: 250 }, (_, k) => runEvent('term', b * 250 + k));
    assert.equal((await postAudit(serve.port, eventList(items))).status, 200);
  }
  const count = async (): Promise<number> =>
    Number(
      (
        await queryStore<{ n: string }>(
          store,
          "SELECT count(*) AS n FROM alerts WHERE rule = 'Every event'",
        )
      )[0]?.n,
    );
  await waitFor(
    'detection under way',
    async () => ((await count()) >= 1_000 ? true : undefined),
    60_000,
  );
  const before = await count();
  assert.ok(before < N, `still busy when stopped (${before} of ${N} stored)`);
  const stoppedAt = Date.now();
  assert.equal(await (workers[0] as DetectProcess).stop('SIGTERM'), 0, workers[0]?.stderr());
  const stopMs = Date.now() - stoppedAt;
  await waitFor(
    'every event alerted',
    async () => ((await count()) >= N ? true : undefined),
    120_000,
  );
  const doneMs = Date.now() - stoppedAt;
  // What the stopped worker held came back at once: the survivor finished the whole run
  // in less than the ack wait after the SIGTERM.
  assert.ok(
    doneMs < ACK_WAIT_S * 1000,
    `finished ${doneMs} ms after SIGTERM (ack wait ${ACK_WAIT_S} s)`,
  );
  const rows = await queryStore<{ n: string; ids: string }>(
    store,
    "SELECT count(*) AS n, count(DISTINCT audit_id) AS ids FROM alerts WHERE rule = 'Every event'",
  );
  assert.equal(Number(rows[0]?.n), N);
  assert.equal(Number(rows[0]?.ids), N);
  assert.match(workers[0]?.stderr() ?? '', /kaudit detect stopped/);
  console.log(
    `shutdown: stopped in ${stopMs} ms, the rest done ${doneMs} ms after SIGTERM (${before} stored before)`,
  );
});
