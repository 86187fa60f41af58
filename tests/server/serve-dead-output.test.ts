// An http output whose receiver stops answering (a real HTTP server on loopback that
// answered at first, then accepts connections and requests and never responds) must not
// hold up ingestion, detection or the other outputs, must not grow memory without bound,
// and what it cannot take must show in /metrics.
import assert from 'node:assert/strict';
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
import { type Receiver, startReceiver } from '../helpers/sidekick-receiver.ts';

const BATCHES = 30;
const BATCH_SIZE = 400;
const SECRET = 'receiver-token-5f1d';

const running: ServeProcess[] = [];
const receivers: Receiver[] = [];
after(async () => {
  for (const s of running) await s.stop('SIGKILL');
  for (const r of receivers) await r.close();
});

/** A falcosidekick-like receiver that answers 200 until `stop()`, then never again. */
async function startDyingReceiver() {
  let answering = true;
  let answered = 0;
  const receiver = await startReceiver(() => {
    if (!answering) return 'hang';
    answered++;
    return { status: 200 };
  });
  receivers.push(receiver);
  return {
    receiver,
    stop: () => {
      answering = false;
    },
    answered: () => answered,
  };
}

const batch = (n: number): string =>
  eventList(
    Array.from({ length: BATCH_SIZE }, (_, i) => auditEvent({ auditID: `dead-${n}-${i}` })),
  );

test('an http output whose receiver stops answering holds up neither acknowledgements, detection nor the file output; memory stays bounded; its drops and debt show in /metrics', async (t) => {
  const durableEnd = await startDyingReceiver();
  const boundedEnd = await startDyingReceiver();
  const dir = tempDir();
  const file = join(dir, 'alerts.json');
  // serve's default for http: flushes wait for the receiver, the outbox keeps what it owes.
  const durable = `http:${durableEnd.receiver.url}durable`;
  // Bounded: a flush waits 1 s at most, then the output's queue of 500 overflows.
  const bounded = `http[flush-timeout=1s,queue-size=500,timeout=1s,retries=0,header=Authorization: Bearer ${SECRET}]:${boundedEnd.receiver.url}bounded`;
  const s = await startServe([
    '-r',
    writeRules(dir, EVERY_EVENT_RULE),
    '--output',
    `file:${file}`,
    '--output',
    durable,
    '--output',
    bounded,
  ]);
  running.push(s);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

  // While the receivers answer, alerts flow to them.
  assert.equal(await postBatchOn(agent, s.port, batch(0)), 200);
  await waitFor('both receivers answering', () =>
    durableEnd.answered() >= 20 && boundedEnd.answered() >= 20 ? true : undefined,
  );
  durableEnd.stop();
  boundedEnd.stop();
  const answeredBefore = durableEnd.answered() + boundedEnd.answered();

  // Then they go silent, and the apiserver keeps sending.
  const acks: number[] = [];
  let b = 1;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (b < BATCHES) {
        const n = b++;
        const t0 = performance.now();
        assert.equal(await postBatchOn(agent, s.port, batch(n)), 200);
        acks.push(performance.now() - t0);
      }
    }),
  );
  agent.destroy();
  acks.sort((x, y) => x - y);
  t.diagnostic(
    `acks: median ${acks[acks.length >> 1]?.toFixed(1)} ms, p99 ${acks[Math.floor(acks.length * 0.99)]?.toFixed(1)} ms (machine shared; not asserted)`,
  );
  // Every batch was acknowledged while the receivers answered nothing more, and they
  // were still being asked.
  assert.equal(durableEnd.answered() + boundedEnd.answered(), answeredBefore);
  const tAcked = performance.now();
  // The file output has everything, whatever the http outputs are stuck on.
  await waitFor(
    'every alert in the file output',
    () => (alertedIds(file).length === BATCHES * BATCH_SIZE ? true : undefined),
    120_000,
  );
  t.diagnostic(
    `file output complete ${(performance.now() - tAcked).toFixed(0)} ms after the last ack`,
  );
  // Detection went through the whole spool; the durable output's debt waits in the
  // outbox on disk (not in memory), the bounded one dropped what its queue could not hold.
  const m = await waitFor('the spool drained, the drops counted', async () => {
    const x = await scrape(s.port);
    const dropped = x.value('kaudit_output_dropped_total', {
      output: `http:${boundedEnd.receiver.url}bounded`,
    });
    return x.value('kaudit_spool_pending_events') === 0 && dropped > 0 ? x : undefined;
  });
  t.diagnostic(
    `spool drained, drops counted ${(performance.now() - tAcked).toFixed(0)} ms after the last ack`,
  );
  const owed = m.value('kaudit_output_pending_alerts', {
    output: `http:${durableEnd.receiver.url}durable`,
  });
  t.diagnostic(`durable output owes ${owed} alerts`);
  assert.ok(owed > BATCH_SIZE, `the durable output owes ${owed} alerts`);
  assert.equal(m.value('kaudit_output_pending_alerts', { output: `file:${file}` }), 0);
  assert.ok(
    durableEnd.receiver.requests.length > durableEnd.answered(),
    'the durable output kept trying',
  );
  const rss = m.value('process_resident_memory_bytes');
  t.diagnostic(
    `RSS ${(rss / 2 ** 20).toFixed(0)} MiB; connections: durable ${durableEnd.receiver.connections}, bounded ${boundedEnd.receiver.connections}`,
  );
  assert.ok(rss < 300 * 2 ** 20, `RSS ${rss} bytes`);
  // Credentials in an output's spec are never shown (metrics are readable by anyone who
  // can reach the port, logs by whoever reads them).
  const text = (await (await fetch(`http://127.0.0.1:${s.port}/metrics`)).text()) + s.stderr();
  assert.ok(
    !text.includes(SECRET),
    'the bounded output’s bearer token appears in /metrics or the log',
  );
  // A stuck output does not hold the exit either (drain, then 5 s for outputs to close).
  const tStop = performance.now();
  assert.equal(await s.stop(), 0, s.stderr());
  t.diagnostic(`stopped in ${(performance.now() - tStop).toFixed(0)} ms`);
});
