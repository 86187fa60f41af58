// The crash test of issue #12: 16,000 events in EventList batches of 400 on four keep-alive
// connections, `kaudit serve` SIGKILLed at a random moment after some batches got their
// 200, restarted on the same data directory, every batch without a 200 sent again; then
// every event must be alerted exactly once in the file output. The moment is drawn from a
// seeded PRNG: KAUDIT_CRASH_SEED=N repeats a run (the seed is printed).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createRng } from '../../bench/gen/prng.ts';
import { auditEvent } from '../helpers/events.ts';
import { postBatchOn } from '../helpers/http-request.ts';
import { eventList, type ServeProcess, startServe } from '../helpers/serve.ts';
import { EVERY_EVENT_RULE, tempDir, waitFor, writeRules } from '../helpers/serve-kit.ts';

const BATCHES = 40;
const BATCH_SIZE = 400;
const CONNECTIONS = 4;
/** Entries a delivery round hands an output (src/spool/deliver.ts). */
const ROUND = 256;

const running: ServeProcess[] = [];
after(async () => {
  for (const s of running) await s.stop('SIGKILL');
});

/** Alert lines of the file output: the auditID of each, and lines that do not parse. */
function readIds(file: string): { ids: string[]; torn: number } {
  let torn = 0;
  const ids: string[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    try {
      const a = JSON.parse(line) as { output_fields: Record<string, unknown> };
      ids.push(String(a.output_fields['ka.auditid']));
    } catch {
      torn++;
    }
  }
  return { ids, torn };
}

/**
 * Says what the repeats are: alerts written before the kill and written again by the
 * restarted server at the start of its output, in one block no larger than a delivery
 * round, are the round whose cursor update the kill prevented (delivery is at least once).
 */
function describeRepeats(ids: readonly string[], linesAtKill: number): string {
  const firstAt = new Map<string, number>();
  const repeats: { id: string; first: number; again: number }[] = [];
  ids.forEach((id, i) => {
    const f = firstAt.get(id);
    if (f === undefined) firstAt.set(id, i);
    else repeats.push({ id, first: f, again: i });
  });
  if (repeats.length === 0) return 'no repeats';
  const again = repeats.map((r) => r.again);
  const first = repeats.map((r) => r.first);
  const lastRound =
    Math.max(...first) < linesAtKill &&
    Math.min(...again) === linesAtKill &&
    Math.max(...again) === linesAtKill + repeats.length - 1 &&
    repeats.length <= ROUND;
  return `${repeats.length} alerts repeated: first copies at lines ${Math.min(...first) + 1}-${Math.max(...first) + 1}, repeats at lines ${Math.min(...again) + 1}-${Math.max(...again) + 1}; the file had ${linesAtKill} lines at the kill. ${
    lastRound
      ? `The repeats are the first lines the restarted server wrote, one block of at most a delivery round (${ROUND}): the round the file output had written when the kill came before its cursor moved (at-least-once delivery).`
      : 'They are not one repeated delivery round.'
  }`;
}

test('SIGKILL after some acknowledged batches, restart, re-send: every event alerted exactly once', async (t) => {
  const seed = Number(process.env.KAUDIT_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const rng = createRng(seed);
  const killAfterAcks = 5 + rng.int(BATCHES - 15);
  const killDelayMs = rng.int(40);
  t.diagnostic(`seed ${seed}: SIGKILL ${killDelayMs} ms after the ${killAfterAcks}th 200`);
  console.log(`crash test seed ${seed} (KAUDIT_CRASH_SEED=${seed} repeats this run)`);

  const dir = tempDir();
  const alerts = join(dir, 'alerts.json');
  const dataDir = join(dir, 'data');
  const args = ['-r', writeRules(dir, EVERY_EVENT_RULE), '--output', `file:${alerts}`];
  const bodies = Array.from({ length: BATCHES }, (_, b) =>
    eventList(
      Array.from({ length: BATCH_SIZE }, (_, i) => auditEvent({ auditID: `crash-${b}-${i}` })),
    ),
  );
  const allIds = new Set<string>();
  for (let b = 0; b < BATCHES; b++)
    for (let i = 0; i < BATCH_SIZE; i++) allIds.add(`crash-${b}-${i}`);

  // Round 1: post on four connections until the kill.
  const first = await startServe(args, { dataDir });
  running.push(first);
  const acked = new Set<number>();
  let next = 0;
  let killed = false;
  let killTimer: NodeJS.Timeout | undefined;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const worker = async (): Promise<void> => {
    while (!killed && next < BATCHES) {
      const b = next++;
      try {
        if ((await postBatchOn(agent, first.port, bodies[b] as string)) === 200) acked.add(b);
      } catch {
        // The kill cut this request: no 200, so it is sent again.
      }
      if (acked.size >= killAfterAcks && killTimer === undefined) {
        killTimer = setTimeout(() => {
          killed = true;
          first.child.kill('SIGKILL');
        }, killDelayMs);
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  await first.exited;
  agent.destroy();
  assert.ok(killed, `all ${BATCHES} batches were sent before the kill: raise BATCHES`);
  const linesAtKill = readIds(alerts).ids.length;
  const resend = bodies.map((_, b) => b).filter((b) => !acked.has(b));
  t.diagnostic(
    `${acked.size} batches acknowledged before the kill, ${resend.length} to send again; ${linesAtKill} alerts in the file at the kill`,
  );

  // Round 2: restart on the same data directory and send what got no 200.
  const second = await startServe(args, { dataDir });
  running.push(second);
  const agent2 = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const queue = [...resend];
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      for (let b = queue.shift(); b !== undefined; b = queue.shift()) {
        const status = await postBatchOn(agent2, second.port, bodies[b] as string);
        assert.equal(status, 200, `batch ${b} sent again`);
      }
    }),
  );
  agent2.destroy();
  await waitFor(
    'every event alerted',
    () => {
      const got = new Set(readIds(alerts).ids);
      return got.size === allIds.size ? true : undefined;
    },
    120_000,
  ).catch((err: Error) => {
    const got = new Set(readIds(alerts).ids);
    const missing = [...allIds].filter((id) => !got.has(id));
    throw new Error(
      `${err.message}; seed ${seed}: ${missing.length} events never alerted, e.g. ${missing.slice(0, 5).join(', ')}`,
    );
  });
  assert.equal(await second.stop(), 0, 'SIGTERM after the run exits 0');

  const { ids, torn } = readIds(alerts);
  assert.equal(torn, 0, `seed ${seed}: ${torn} alert lines do not parse`);
  const unknown = ids.filter((id) => !allIds.has(id));
  assert.deepEqual(unknown, [], `seed ${seed}: alerts for events never sent`);
  const report = describeRepeats(ids, linesAtKill);
  t.diagnostic(report);
  assert.equal(ids.length, allIds.size, `seed ${seed}: ${report}`);
});
