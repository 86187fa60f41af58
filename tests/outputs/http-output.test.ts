import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createHttpOutput, type OutputHooks } from '../../src/outputs/index.ts';
import { makeAlert, userOf } from '../helpers/alerts.ts';
import { FALCO_ALERT_KEYS } from '../helpers/falco-alert.ts';
import { startReceiver, waitFor } from '../helpers/sidekick-receiver.ts';
import { certsUnavailable, makeTestCerts } from '../helpers/test-certs.ts';

const open: { close(): Promise<void> }[] = [];
after(async () => {
  for (const o of open) await o.close();
});

function collectMessages(): { hooks: OutputHooks; messages: string[] } {
  const messages: string[] = [];
  return { messages, hooks: { onMessage: (_name, m) => messages.push(m) } };
}

test('createHttpOutput() posts each alert as the body falcosidekick reads, every field checked', async () => {
  const rx = await startReceiver();
  open.push(rx);
  const out = createHttpOutput(rx.url, { headers: { Authorization: 'Bearer s3cret' } });
  const alerts = [makeAlert(), makeAlert({ priority: 'Critical', tags: [] }), makeAlert()];
  for (const a of alerts) out.write(a);
  await out.flush();
  assert.equal(out.stats.delivered, 3);
  assert.equal(out.stats.pending, 0);
  assert.equal(rx.requests.length, 3);
  const byUser = new Map(rx.requests.map((r) => [r.payload?.outputFields['ka.user.name'], r]));
  for (const a of alerts) {
    const r = byUser.get(userOf(a));
    assert.ok(r, `alert of ${userOf(a)} received`);
    assert.equal(r.error, undefined, r.body);
    assert.equal(r.method, 'POST');
    assert.equal(r.url, '/');
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers.authorization, 'Bearer s3cret');
    assert.match(r.headers['user-agent'] ?? '', /^kaudit\//);
    // One alert per request: the body is one JSON object with Falco's keys.
    assert.deepEqual(Object.keys(JSON.parse(r.body)), FALCO_ALERT_KEYS);
    const p = r.payload;
    assert.ok(p);
    assert.equal(p.rule, a.rule);
    assert.equal(p.priority, a.priority);
    assert.equal(p.source, a.source);
    assert.equal(p.hostname, a.hostname);
    assert.deepEqual(p.tags, a.tags);
    assert.ok(p.output.endsWith(`${a.priority} ${a.message}`), p.output);
    // RFC 3339 with the alert's nanoseconds; Go keeps them all.
    const secs = a.timeNs.slice(0, -9);
    assert.equal(p.time.getTime(), Number(secs) * 1000 + Number(a.timeNs.slice(-9, -6)));
    assert.equal(p.timeText.slice(-10), `${a.timeNs.slice(-9)}Z`);
    for (const [k, v] of Object.entries(a.outputFields)) assert.deepEqual(p.outputFields[k], v, k);
    // falcosidekick decodes with UseNumber: the nanosecond integer must be exact in the text.
    assert.match(r.body, new RegExp(`"evt\\.time":${a.timeNs}[,}]`));
  }
  await out.close();
});

test('createHttpOutput() retries a 500 and delivers on the 200 that follows', async () => {
  const rx = await startReceiver((n) => ({ status: n < 2 ? 500 : 200 }));
  open.push(rx);
  const out = createHttpOutput(rx.url, { backoffMs: 10, concurrency: 1 });
  out.write(makeAlert());
  await out.flush();
  assert.equal(out.stats.delivered, 1);
  assert.equal(out.stats.failed, 0);
  assert.equal(out.stats.retries, 2);
  assert.equal(rx.requests.length, 3);
  // Keep-alive: the three tries shared one connection.
  assert.equal(rx.connections, 1);
  await out.close();
});

test('createHttpOutput() fails a 400 at once and stops after its retries on 503', async () => {
  const rx = await startReceiver((n) => ({ status: n === 0 ? 404 : 503 }));
  open.push(rx);
  const { hooks, messages } = collectMessages();
  const out = createHttpOutput(rx.url, { backoffMs: 5, retries: 2, concurrency: 1, hooks });
  out.write(makeAlert());
  await out.flush();
  out.write(makeAlert());
  await out.flush();
  assert.equal(out.stats.failed, 2);
  assert.equal(out.stats.delivered, 0);
  assert.equal(rx.requests.length, 1 + 3);
  assert.equal(out.stats.retries, 2);
  assert.match(messages.join('\n'), /HTTP 404/);
  assert.match(messages.join('\n'), /HTTP 503 after 3 tries/);
  await out.close();
});

test('createHttpOutput() keeps up with a slow receiver: flush waits, nothing is dropped', async () => {
  const rx = await startReceiver(() => ({ status: 200, delayMs: 50 }));
  open.push(rx);
  const out = createHttpOutput(rx.url, { concurrency: 4 });
  for (let i = 0; i < 40; i++) out.write(makeAlert());
  await out.flush();
  assert.equal(out.stats.delivered, 40);
  assert.equal(out.stats.dropped, 0);
  assert.equal(out.stats.stalls, 0);
  assert.equal(rx.requests.length, 40);
  assert.ok(rx.connections <= 4, `${rx.connections} connections for concurrency 4`);
  await out.close();
});

test('createHttpOutput() to a receiver that never answers: write never waits, flush is bounded, drops counted', async () => {
  const rx = await startReceiver(() => 'hang');
  open.push(rx);
  const out = createHttpOutput(rx.url, {
    queueSize: 100,
    concurrency: 2,
    timeoutMs: 200,
    retries: 1,
    backoffMs: 10,
    flushTimeoutMs: 300,
  });
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  for (let i = 0; i < 20_000; i++) out.write(makeAlert());
  const writeMs = performance.now() - started;
  // The queue holds at most 100: the rest were dropped, oldest first.
  assert.ok(out.stats.pending <= 100 + 2, `pending ${out.stats.pending}`);
  assert.ok(out.stats.dropped >= 20_000 - 102, `dropped ${out.stats.dropped}`);
  const t0 = performance.now();
  await out.flush();
  const firstFlush = performance.now() - t0;
  assert.ok(firstFlush >= 250 && firstFlush < 2000, `first flush took ${firstFlush} ms`);
  assert.equal(out.stats.stalls, 1);
  // Stalled: the next flushes do not wait at all.
  const t1 = performance.now();
  for (let i = 0; i < 10; i++) {
    out.write(makeAlert());
    await out.flush();
  }
  assert.ok(performance.now() - t1 < 100, 'stalled flushes return at once');
  assert.ok(writeMs < 2000, `20,000 writes took ${writeMs} ms`);
  assert.ok(process.memoryUsage().heapUsed - heapBefore < 64 * 1024 * 1024);
  await out.close();
  const s = out.stats;
  assert.equal(s.pending, 0);
  assert.equal(s.delivered, 0);
  assert.equal(s.delivered + s.failed + s.dropped, 20_010);
});

test('createHttpOutput() over HTTPS with a CA and a client certificate made here', {
  skip: certsUnavailable(),
}, async () => {
  const certs = makeTestCerts();
  const rx = await startReceiver(() => ({ status: 200 }), {
    key: certs.read(certs.serverKeyFile),
    cert: certs.read(certs.serverCertFile),
    ca: certs.read(certs.caFile),
    requestCert: true,
    rejectUnauthorized: true,
  });
  open.push(rx);
  const out = createHttpOutput(rx.url, {
    caFile: certs.caFile,
    certFile: certs.clientCertFile,
    keyFile: certs.clientKeyFile,
  });
  out.write(makeAlert());
  await out.flush();
  assert.equal(out.stats.delivered, 1);
  assert.equal(rx.requests[0]?.clientCn, 'kaudit-client');
  assert.equal(rx.requests[0]?.error, undefined);
  await out.close();

  // Without the client certificate the server refuses; with the wrong CA we refuse it.
  const { hooks, messages } = collectMessages();
  for (const opts of [
    { caFile: certs.caFile },
    { caFile: certs.otherCaFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile },
  ]) {
    const bad = createHttpOutput(rx.url, { ...opts, retries: 0, hooks });
    bad.write(makeAlert());
    await bad.flush();
    assert.equal(bad.stats.failed, 1, JSON.stringify(opts));
    assert.equal(bad.stats.delivered, 0);
    await bad.close();
  }
  assert.match(messages.join('\n'), /certificate/i);
  assert.equal(rx.requests.length, 1);
  // insecure-skip-verify is off unless asked for: no CA given, Node's CAs do not know ours.
  const noCa = createHttpOutput(rx.url, {
    certFile: certs.clientCertFile,
    keyFile: certs.clientKeyFile,
    retries: 0,
  });
  noCa.write(makeAlert());
  await noCa.flush();
  assert.equal(noCa.stats.failed, 1);
  await noCa.close();
  const skip = createHttpOutput(rx.url, {
    certFile: certs.clientCertFile,
    keyFile: certs.clientKeyFile,
    insecureSkipVerify: true,
  });
  skip.write(makeAlert());
  await skip.flush();
  assert.equal(skip.stats.delivered, 1);
  await skip.close();
});

test('createHttpOutput() refuses TLS files on http:// and unreadable PEM files', () => {
  assert.throws(() => createHttpOutput('http://127.0.0.1:1/', { caFile: '/etc/hostname' }), {
    code: 'OUTPUT_TLS_ON_HTTP',
  });
  assert.throws(() => createHttpOutput('https://127.0.0.1:1/', { caFile: '/nonexistent/ca.pem' }), {
    code: 'OUTPUT_FILE_UNREADABLE',
  });
  assert.throws(() => createHttpOutput('https://127.0.0.1:1/', { certFile: '/etc/hostname' }), {
    code: 'OUTPUT_TLS_INCOMPLETE',
  });
  assert.throws(() => createHttpOutput('ftp://127.0.0.1/'), { code: 'OUTPUT_SPEC_INVALID' });
});

test('createHttpOutput() close() cuts what cannot be delivered and counts every alert once', async () => {
  const rx = await startReceiver(() => 'hang');
  open.push(rx);
  const out = createHttpOutput(rx.url, { flushTimeoutMs: 100, timeoutMs: 60_000, concurrency: 1 });
  for (let i = 0; i < 5; i++) out.write(makeAlert());
  await waitFor(() => rx.requests.length === 1, 5000, 'the first request');
  const t0 = performance.now();
  await out.close();
  assert.ok(performance.now() - t0 < 3000);
  assert.deepEqual(
    { failed: out.stats.failed, dropped: out.stats.dropped, pending: out.stats.pending },
    { failed: 1, dropped: 4, pending: 0 },
  );
  out.write(makeAlert());
  assert.equal(out.stats.dropped, 5);
});
