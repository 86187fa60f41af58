// The issue's chaos test: 50,000 events through two `kaudit serve --bus` replicas and three
// `kaudit detect` workers on a NATS JetStream cluster of three (stream with three replicas)
// and PostgreSQL. One serve, one worker and one NATS node are SIGKILLed at random moments
// while the senders go on, retrying a batch on the other replica as kube-apiserver
// retries a batch it got no 200 for. At the end, every event whose batch was acknowledged
// has exactly one alert in PostgreSQL, no alert is stored twice, and the correlation rule
// fired once.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, test } from 'node:test';
import { BUS_RULES, freshStoreUrl, queryStore, runEvent } from '../helpers/bus-kit.ts';
import { type DetectProcess, startDetect } from '../helpers/detect.ts';
import { NATS_SKIP, startTestNats, type TestNatsCluster } from '../helpers/nats.ts';
import { POSTGRES_SKIP } from '../helpers/postgres.ts';
import { eventList, type ServeProcess, startServe } from '../helpers/serve.ts';
import { tempDir, waitFor, writeRules } from '../helpers/serve-kit.ts';

const skip = NATS_SKIP || POSTGRES_SKIP;
/** The issue asks for at least 50,000; KAUDIT_CHAOS_EVENTS sets more (or fewer, to debug). */
const EVENTS = Number(process.env.KAUDIT_CHAOS_EVENTS ?? 50_000);
const BATCH = 250;
const BATCHES = EVENTS / BATCH;
const SENDERS = 4;
/**
 * burst-user's three events: far apart in the run, so different workers see them, and
 * the last one three quarters of the run (375 s of event time) before its end, so that
 * event time moves past it by more than the correlation tolerance.
 */
const BURST_AT = [0.05, 0.15, 0.25].map((f) => Math.floor(EVENTS * f) + 3);
const BURST = new Set(BURST_AT);

const procs: (ServeProcess | DetectProcess)[] = [];
let nats: TestNatsCluster | undefined;
after(async () => {
  for (const p of procs) await p.stop('SIGKILL').catch(() => {});
  nats?.stop();
});

/** One POST; the status, or 0 when the connection failed (a killed replica). */
function post(port: number, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/k8s-audit',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: 30_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/** A moment of the run, as a batch number, between 15% and 75% of the batches. */
function randomMoment(): number {
  return Math.floor(BATCHES * (0.15 + Math.random() * 0.6));
}

test('chaos: SIGKILL a serve, a worker and a NATS node; every acknowledged event alerted exactly once', {
  skip,
  timeout: 300_000,
}, async () => {
  nats = await startTestNats();
  const store = await freshStoreUrl();
  // Event time runs about ten times faster than real time here (10 ms per event, 50,000
  // events detected in about 45 s). Workers hold up to 8 batches each, and a killed
  // worker's batches come back after the 3 s ack wait, while the others (and a NATS
  // leader election) move on: matches reach their partition up to a few hundred seconds
  // of this event time late. A tolerance of 300 s here is about 30 s of real time, the
  // default, which covers the same delays where event time is real time
  // (docs/distributed.md, "The clock").
  const rules = writeRules(tempDir(), BUS_RULES.replace('within: 1m', 'within: 24h'));
  const common = ['--bus', nats.url, '--bus-replicas', '3', '--bus-partitions', '8'];
  const serves: ServeProcess[] = [];
  for (let i = 0; i < 2; i++) {
    const s = await startServe(['-r', rules, '--store', 'none', '--cluster', 'chaos', ...common]);
    serves.push(s);
    procs.push(s);
  }
  const workers: DetectProcess[] = [];
  for (let i = 0; i < 3; i++) {
    const w = await startDetect([
      '-r',
      rules,
      '--store',
      store,
      '--bus-ack-wait',
      '3s',
      '--correlation-tolerance',
      '300s',
      ...common,
    ]);
    workers.push(w);
    procs.push(w);
  }

  const kills = { serve: randomMoment(), worker: randomMoment(), nats: randomMoment() };
  const victims = {
    serve: Math.floor(Math.random() * 2),
    worker: Math.floor(Math.random() * 3),
    nats: Math.floor(Math.random() * 3),
  };
  // Logged so that a failing run can be told apart from another.
  console.log(
    `chaos plan: kill at batch ${JSON.stringify(kills)}, victims ${JSON.stringify(victims)}`,
  );
  const dead = new Set<number>();
  let sent = 0;
  const acknowledged = new Set<string>();
  let retries = 0;
  const started = Date.now();

  const chaos = (b: number): void => {
    if (b === kills.serve) {
      serves[victims.serve]?.child.kill('SIGKILL');
      dead.add(victims.serve);
    }
    if (b === kills.worker) workers[victims.worker]?.child.kill('SIGKILL');
    if (b === kills.nats) nats?.kill(victims.nats);
  };

  const sendBatch = async (b: number): Promise<void> => {
    const items = Array.from({ length: BATCH }, (_, k) => {
      const i = b * BATCH + k;
      return runEvent('chaos', i, BURST.has(i));
    });
    const body = eventList(items);
    let replica = b % 2;
    for (let attempt = 0; ; attempt++) {
      if (dead.has(replica)) replica = 1 - replica;
      const port = serves[replica]?.port as number;
      const status = await post(port, body);
      if (status === 200) break;
      // As the apiserver does: no 200, the same batch again (here on the other replica).
      retries++;
      replica = 1 - replica;
      assert.ok(attempt < 200, `batch ${b} never acknowledged (last status ${status})`);
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const e of items) acknowledged.add(e.auditID as string);
  };

  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      for (;;) {
        const b = sent++;
        if (b >= BATCHES) return;
        chaos(b);
        await sendBatch(b);
      }
    }),
  );
  const sendMs = Date.now() - started;
  assert.equal(acknowledged.size, EVENTS, 'every batch was acknowledged in the end');

  let stored = 0;
  const done = await waitFor(
    'every acknowledged event alerted',
    async () => {
      const r = await queryStore<{ n: string }>(
        store,
        "SELECT count(*) AS n FROM alerts WHERE rule = 'Every event'",
      );
      stored = Number(r[0]?.n);
      return stored >= EVENTS ? stored : undefined;
    },
    150_000,
  ).catch(async (err: Error) => {
    const lag = await Promise.all(
      workers.map((w) =>
        fetch(`http://127.0.0.1:${w.port}/metrics`)
          .then((r) => r.text())
          .then((t) =>
            t
              .split('\n')
              .filter((l) => l.startsWith('kaudit_bus_consumer_'))
              .join('\n'),
          )
          .catch(() => 'dead'),
      ),
    );
    const logs = workers.map((w) => w.stderr().slice(-3000)).join('\n---\n');
    throw new Error(
      `${err.message}: ${stored} of ${EVENTS} stored after sending in ${sendMs} ms\n${lag.join('\n---\n')}\n${logs}`,
    );
  });
  // Redeliveries still in flight would show up now as duplicates, if the store let them in.
  await new Promise((r) => setTimeout(r, 4_000));
  const rows = await queryStore<{ audit_id: string; n: string }>(
    store,
    "SELECT audit_id, count(*) AS n FROM alerts WHERE rule = 'Every event' GROUP BY audit_id",
  );
  const seen = new Map(rows.map((r) => [r.audit_id, Number(r.n)]));
  const missing = [...acknowledged].filter((id) => !seen.has(id));
  const doubled = rows.filter((r) => Number(r.n) !== 1);
  assert.deepEqual(
    missing.slice(0, 10),
    [],
    `${missing.length} acknowledged events without an alert`,
  );
  assert.deepEqual(doubled.slice(0, 10), [], 'no event alerted twice');
  assert.equal(rows.length, EVENTS);
  assert.equal(done, EVENTS);

  const burst = await waitFor(
    'the correlation alert',
    async () => {
      const r = await queryStore<{ audit_id: string }>(
        store,
        "SELECT audit_id FROM alerts WHERE rule = 'Burst'",
      );
      return r.length > 0 ? r : undefined;
    },
    30_000,
  );
  await new Promise((r) => setTimeout(r, 2_000));
  const bursts = await queryStore<{ audit_id: string }>(
    store,
    "SELECT audit_id FROM alerts WHERE rule = 'Burst'",
  );
  assert.equal(bursts.length, 1, `the correlation rule fired once (got ${JSON.stringify(bursts)})`);
  // It fired on one of burst-user's events. In event-time order that is the third; a
  // match that reaches its partition later than the tolerance is correlated at once, at
  // the partition's clock (docs/correlation.md, "Out of order"), and then the alert may
  // name another of the three. Under these kills that happened in 2 runs of about 12 (a
  // first event's batch coming back more than 300 s of this event time late); the
  // differential test (tests/bus/bus-correlation.test.ts) holds the exact alerts without
  // kills. The run's log says which it was.
  const completing = burst[0]?.audit_id ?? '';
  assert.ok(
    BURST_AT.map((i) => `chaos-${i}`).includes(completing),
    `fired on a burst-user event (${completing})`,
  );
  console.log(
    `chaos: ${EVENTS} events acknowledged in ${sendMs} ms (${retries} retried posts), all alerted once after ${Date.now() - started} ms; the correlation rule fired once, on ${completing}${completing === `chaos-${BURST_AT[2]}` ? ' (in order)' : ` (late match: in order it is chaos-${BURST_AT[2]})`}`,
  );
});
