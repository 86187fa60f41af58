import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDeliveryQueue, createOutputStats } from '../../src/outputs/index.ts';

function queue(maxAlerts = 100, flushTimeoutMs = 200, maxBytes = 1_000_000) {
  const stats = createOutputStats();
  const latencies: number[] = [];
  const q = createDeliveryQueue<string>({
    maxAlerts,
    maxBytes,
    flushTimeoutMs,
    stats,
    name: 'test',
    hooks: { onLatency: (_n, _ms, count) => latencies.push(count) },
    wake: () => {},
  });
  return { q, stats, latencies };
}

/** Whether the promise has settled after the current turn. */
async function isDone(p: Promise<void>): Promise<boolean> {
  let done = false;
  void p.then(() => {
    done = true;
  });
  await new Promise((r) => setImmediate(r));
  return done;
}

test('DeliveryQueue.flush() waits for entries in flight, even when later ones settle first', async () => {
  const { q, stats, latencies } = queue();
  q.push('a', 1, 1);
  q.push('b', 1, 1);
  const [a] = q.take(1, 100);
  const [b] = q.take(1, 100);
  assert.ok(a && b);
  const flushed = q.flush();
  q.push('c', 1, 1); // written after the flush: not waited for
  q.settle([b], 'delivered');
  assert.equal(await isDone(flushed), false, 'a is still in flight');
  q.settle([a], 'failed');
  assert.equal(await isDone(flushed), true);
  assert.deepEqual(
    { delivered: stats.delivered, failed: stats.failed, pending: stats.pending },
    { delivered: 1, failed: 1, pending: 1 },
  );
  assert.deepEqual(latencies, [1]);
});

test('DeliveryQueue.push() drops the oldest waiting entries when full, counting their alerts', async () => {
  const { q, stats } = queue(5);
  q.push('x', 3, 1);
  q.push('y', 2, 1);
  const flushed = q.flush();
  q.push('z', 2, 1); // drops x (3 alerts); y and z fit
  assert.equal(stats.dropped, 3);
  assert.equal(q.waiting, 2);
  assert.deepEqual(
    q.take(10, 100).map((i) => i.value),
    ['y', 'z'],
  );
  assert.equal(await isDone(flushed), false, 'y (before the flush) is in flight');
  // One entry bigger than the whole queue is dropped by itself.
  q.push('huge', 6, 1);
  assert.equal(stats.dropped, 9);
  assert.equal(stats.pending, 4);
});

test('DeliveryQueue.take() bounds a chunk by bytes but always takes one entry', () => {
  const { q } = queue();
  q.push('aaaa', 1, 4);
  q.push('bbbb', 1, 4);
  q.push('cccc', 1, 4);
  assert.equal(q.take(10, 8).length, 2);
  assert.equal(q.take(10, 1).length, 1);
  assert.equal(q.take(10, 1).length, 0);
});

test('DeliveryQueue.flush() is bounded, then stalled until nothing is pending', async () => {
  const { q, stats } = queue(100, 50);
  q.push('a', 1, 1);
  const [a] = q.take(1, 100);
  const t0 = performance.now();
  await q.flush();
  assert.ok(performance.now() - t0 >= 45, 'waited for the bound');
  assert.equal(stats.stalls, 1);
  assert.equal(q.stalled, true);
  q.push('b', 1, 1);
  assert.equal(await isDone(q.flush()), true, 'stalled: resolves at once');
  assert.equal(stats.stalls, 1);
  // A delivery alone does not end the stall: b still waits.
  q.settle(a ? [a] : [], 'delivered');
  assert.equal(q.stalled, true);
  q.settle(q.take(1, 100), 'delivered');
  assert.equal(q.stalled, false);
  q.push('c', 1, 1);
  assert.equal(await isDone(q.flush()), false, 'caught up: waits again');
});

test('DeliveryQueue.settleWithin() waits even when stalled; dropWaiting() settles the rest', async () => {
  const { q, stats } = queue(100, 10);
  q.push('a', 1, 1);
  q.push('b', 2, 1);
  await q.flush();
  assert.equal(q.stalled, true);
  const done = q.settleWithin(1000);
  assert.equal(await isDone(done), false);
  q.dropWaiting();
  assert.equal(await isDone(done), true);
  assert.equal(stats.dropped, 3);
  assert.equal(stats.pending, 0);
  assert.equal(q.stalled, false);
});

test('DeliveryQueue with an unbounded flush waits until settled and never stalls', async () => {
  const { q, stats } = queue(100, Number.POSITIVE_INFINITY);
  q.push('a', 1, 1);
  const flushed = q.flush();
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(await isDone(flushed), false);
  q.settle(q.take(1, 100), 'failed');
  assert.equal(await isDone(flushed), true);
  assert.equal(stats.stalls, 0);
  assert.equal(q.stalled, false);
});
