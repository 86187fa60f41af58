// kaudit serve --bus and kaudit detect on a real NATS JetStream cluster of three and a
// real PostgreSQL: batches acknowledged by JetStream, alerts in PostgreSQL once each, a
// retried batch stored once, a correlation rule firing once across two workers.
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

test('serve --bus and two detect workers: every event alerted once, retries deduplicated, correlation fires once', {
  skip,
  timeout: 180_000,
}, async () => {
  nats = await startTestNats();
  const store = await freshStoreUrl();
  const dir = tempDir();
  const rules = writeRules(dir, BUS_RULES);
  const common = ['--bus', nats.url, '--bus-replicas', '3', '--bus-partitions', '4'];
  // Event time spans 10 s: a tolerance of 1 s lets the burst's window close within the run.
  const detectArgs = ['--bus-ack-wait', '5s', '--correlation-tolerance', '1s'];
  const serve = await startServe([
    '-r',
    rules,
    '--store',
    store,
    '--no-auth',
    '--cluster',
    'prod-eu',
    ...common,
  ]);
  procs.push(serve);
  for (let i = 0; i < 2; i++) {
    procs.push(await startDetect(['-r', rules, '--store', store, ...detectArgs, ...common]));
  }
  const workers = procs.slice(1) as DetectProcess[];

  // 20 batches of 50; burst-user acts in events 100, 400 and 700 (three batches apart).
  const N = 1000;
  const burst = new Set([100, 400, 700]);
  for (let b = 0; b < N / 50; b++) {
    const items = Array.from({ length: 50 }, (_, k) =>
      runEvent('bus', b * 50 + k, burst.has(b * 50 + k)),
    );
    const body = eventList(items);
    const r = await postAudit(serve.port, body);
    assert.equal(r.status, 200, r.text);
    // The apiserver retrying the same batch: stored once in the stream (Nats-Msg-Id).
    if (b % 5 === 0) assert.equal((await postAudit(serve.port, body)).status, 200);
  }
  // A batch over the server's max_payload (1 MB here): eight events of 200 KB go as two
  // messages, and all of them are alerted.
  const BIG = 8;
  const big = Array.from({ length: BIG }, (_, k) => ({
    ...runEvent('big', k),
    requestObject: { kind: 'ConfigMap', data: { blob: 'x'.repeat(200_000) } },
  }));
  const bigPost = await postAudit(serve.port, eventList(big));
  assert.equal(bigPost.status, 200, bigPost.text);

  const counts = await waitFor(
    'every event alerted',
    async () => {
      const rows = await queryStore<{ rule: string; n: string; ids: string }>(
        store,
        'SELECT rule, count(*) AS n, count(DISTINCT audit_id) AS ids FROM alerts GROUP BY rule',
      );
      const every = rows.find((r) => r.rule === 'Every event');
      return every !== undefined && Number(every.n) >= N + BIG ? rows : undefined;
    },
    90_000,
  );
  const every = counts.find((r) => r.rule === 'Every event');
  assert.equal(Number(every?.n), N + BIG, 'each event alerted exactly once');
  assert.equal(Number(every?.ids), N + BIG);
  const bursts = await waitFor(
    'the correlation alert',
    async () => {
      const rows = await queryStore<{ audit_id: string; output: string }>(
        store,
        "SELECT audit_id, output FROM alerts WHERE rule = 'Burst'",
      );
      return rows.length > 0 ? rows : undefined;
    },
    30_000,
  );
  // A second look a moment later: it fired once, not once per worker.
  await new Promise((r) => setTimeout(r, 1500));
  const again = await queryStore<{ n: string }>(
    store,
    "SELECT count(*) AS n FROM alerts WHERE rule = 'Burst'",
  );
  assert.equal(Number(again[0]?.n), 1, 'the threshold rule fired once');
  assert.equal(bursts[0]?.audit_id, 'bus-700', 'fired on the third event');
  assert.match(bursts[0]?.output ?? '', /burst by burst-user \(3\)/);
  // Its match travelled without the event (a reference to the batch): the stored alert
  // has the event all the same.
  const stored = await queryStore<{ event: string }>(
    store,
    "SELECT e.event FROM alerts a JOIN alert_events e ON e.id = a.id WHERE a.rule = 'Burst'",
  );
  assert.equal((JSON.parse(stored[0]?.event ?? '{}') as { auditID?: string }).auditID, 'bus-700');
  const clusters = await queryStore<{ cluster: string | null }>(
    store,
    'SELECT DISTINCT cluster FROM alerts',
  );
  assert.deepEqual(
    clusters.map((c) => c.cluster),
    ['prod-eu'],
    'the serve replica named the cluster',
  );

  // Operations: readiness reflects bus and store; metrics carry the bus's figures.
  const ready = await fetch(`http://127.0.0.1:${serve.port}/readyz`);
  assert.equal(ready.status, 200, await ready.text());
  const sm = await (await fetch(`http://127.0.0.1:${serve.port}/metrics`)).text();
  assert.match(sm, /kaudit_bus_publish_seconds_count\{subject="kaudit.batches"\} (\d+)/);
  const published = Number(
    /kaudit_bus_publish_seconds_count\{subject="kaudit.batches"\} (\d+)/.exec(sm)?.[1],
  );
  assert.equal(published, 26, '20 batches, 4 retries and a big batch in two parts published');
  assert.match(sm, /kaudit_bus_publish_duplicates_total 4/);
  let acked = 0;
  for (const w of workers) {
    const r = await fetch(`http://127.0.0.1:${w.port}/readyz`);
    assert.equal(r.status, 200, await r.text());
    const m = await (await fetch(`http://127.0.0.1:${w.port}/metrics`)).text();
    acked += Number(/kaudit_bus_acks_total\{consumer="kaudit-detect"\} (\d+)/.exec(m)?.[1] ?? 0);
    assert.match(m, /kaudit_bus_consumer_pending_messages\{consumer="kaudit-detect"\} 0/);
  }
  assert.equal(acked, 22, 'each stored message acknowledged once between the workers');

  // Graceful shutdown: SIGTERM ends a worker with 0.
  const last = workers.pop() as DetectProcess;
  assert.equal(await last.stop('SIGTERM'), 0, last.stderr());

  // The bus gone: readiness says so on both kinds of process, and a batch gets 503 (the
  // apiserver keeps it), not a 200 for something not stored.
  for (let i = 0; i < 3; i++) nats.kill(i);
  const reasons = async (port: number): Promise<string[] | undefined> => {
    const r = await fetch(`http://127.0.0.1:${port}/readyz`);
    const body = (await r.json()) as { reasons: string[] };
    return r.status === 503 && body.reasons.includes('bus not connected')
      ? body.reasons
      : undefined;
  };
  await waitFor('serve unready', () => reasons(serve.port), 20_000);
  await waitFor('worker unready', () => reasons((workers[0] as DetectProcess).port), 20_000);
  const refused = await postAudit(serve.port, eventList([runEvent('bus', N + 1)]));
  assert.equal(refused.status, 503, refused.text);
  for (const p of [...workers, serve]) assert.equal(await p.stop('SIGTERM'), 0, p.stderr());
});
