// Slow and stuck clients against a real `kaudit serve`: each is cut off by the server, and
// while they hang, another client's batches are acknowledged as usual. Over HTTPS (the
// listener that sniffs the first byte) and over plain HTTP. The server's limits are
// 10 s for the first byte, the TLS handshake and the headers, 30 s for a whole request.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { auditEvent } from '../helpers/events.ts';
import { type ClientTls, postAudit, request } from '../helpers/http-request.ts';
import { eventList, type ServeProcess, startServe } from '../helpers/serve.ts';
import { tempDir } from '../helpers/serve-kit.ts';
import { openStalledClient, type StallOutcome } from '../helpers/stalled-client.ts';
import { certsUnavailable, makeTestCerts } from '../helpers/test-certs.ts';

const NO_CERTS = certsUnavailable();
const TOKEN = 'slow-client-token';
/** Our own limit for a stalled connection: twice the server's longest timeout. */
const GUARD_MS = 60_000;
const running: ServeProcess[] = [];
after(async () => {
  for (const s of running) await s.stop('SIGKILL');
});

const HEADERS_START = 'POST /k8s-audit HTTP/1.1\r\nHost: kaudit\r\n';
function bodyStart(length: number): string {
  return `${HEADERS_START}Authorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n{"kind":"EventList","items":[`;
}

/** Posts a small batch every `everyMs` until `stop` resolves; records each answer. */
async function keepPosting(
  port: number,
  tls: ClientTls | undefined,
  stop: Promise<unknown>,
  everyMs = 100,
) {
  const acks: { status: number; at: number; ms: number }[] = [];
  let done = false;
  void stop.then(() => {
    done = true;
  });
  while (!done) {
    const t0 = Date.now();
    const r = await postAudit(port, eventList([auditEvent()]), {
      headers: { authorization: `Bearer ${TOKEN}` },
      ...(tls !== undefined ? { tls } : {}),
    });
    acks.push({ status: r.status, at: Date.now(), ms: Date.now() - t0 });
    await new Promise((res) => setTimeout(res, everyMs));
  }
  return acks;
}

async function startWithToken(extra: readonly string[]): Promise<ServeProcess> {
  const dir = tempDir();
  const tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, `${TOKEN}\n`);
  const s = await startServe(['--token-file', tokenFile, '--output', 'stdout', ...extra]);
  running.push(s);
  return s;
}

function assertCutOff(name: string, o: StallOutcome, expect408: boolean): void {
  assert.ok(
    o.closedByServer,
    `${name}: the server never closed the connection (our guard did after ${GUARD_MS} ms)`,
  );
  if (expect408) assert.match(o.received, /^HTTP\/1\.1 408 /, `${name}: ${o.received}`);
}

test('stalled HTTPS and HTTP clients are cut off, and the others are acknowledged meanwhile', {
  skip: NO_CERTS ?? false,
}, async (t) => {
  const certs = makeTestCerts();
  const tls = await startWithToken([
    '--tls-cert',
    certs.serverCertFile,
    '--tls-key',
    certs.serverKeyFile,
  ]);
  const plain = await startWithToken([]);
  const ca = certs.read(certs.caFile);
  const stalls = {
    // The listener reads the first byte to choose HTTP or HTTPS: a client that sends none.
    'tls listener, silent': openStalledClient({ port: tls.port, guardMs: GUARD_MS }),
    // A TLS record header and then nothing: the handshake never completes.
    'tls listener, half a ClientHello': openStalledClient({
      port: tls.port,
      send: Buffer.from([0x16, 0x03, 0x01]),
      guardMs: GUARD_MS,
    }),
    'https, silent after the handshake': openStalledClient({
      port: tls.port,
      tls: { ca },
      guardMs: GUARD_MS,
    }),
    'https, half the headers': openStalledClient({
      port: tls.port,
      tls: { ca },
      send: HEADERS_START,
      guardMs: GUARD_MS,
    }),
    'https, headers one byte every 300 ms': openStalledClient({
      port: tls.port,
      tls: { ca },
      send: HEADERS_START,
      trickle: { text: 'X-Slow: '.padEnd(400, 'z'), everyMs: 300 },
      guardMs: GUARD_MS,
    }),
    'https, stops mid-body': openStalledClient({
      port: tls.port,
      tls: { ca },
      send: bodyStart(10_000),
      guardMs: GUARD_MS,
    }),
    'http, half the headers': openStalledClient({
      port: plain.port,
      send: HEADERS_START,
      guardMs: GUARD_MS,
    }),
    'http, stops mid-body': openStalledClient({
      port: plain.port,
      send: bodyStart(10_000),
      guardMs: GUARD_MS,
    }),
  };
  await Promise.all(Object.values(stalls).map((s) => s.started));
  const outcomes = Object.values(stalls).map((s) => s.outcome);
  const firstClosed = Promise.race(outcomes).then(() => Date.now());
  const allClosed = Promise.all(outcomes);
  const [tlsAcks, plainAcks, firstClose, ended] = await Promise.all([
    keepPosting(tls.port, { ca }, allClosed),
    keepPosting(plain.port, undefined, allClosed),
    firstClosed,
    allClosed,
  ]);
  const names = Object.keys(stalls);
  ended.forEach((o, i) => {
    const name = names[i] as string;
    assertCutOff(name, o, /headers|mid-body/.test(name));
  });
  for (const [name, acks] of [
    ['https', tlsAcks],
    ['http', plainAcks],
  ] as const) {
    assert.ok(
      acks.every((a) => a.status === 200),
      `${name}: ${acks.map((a) => a.status)}`,
    );
    // The other client went on while every stalled connection was still open.
    const before = acks.filter((a) => a.at < firstClose).length;
    assert.ok(before >= 10, `${name}: only ${before} batches acknowledged during the stall`);
    const slowest = Math.max(...acks.map((a) => a.ms));
    t.diagnostic(`${name}: ${acks.length} acks, ${before} during the stall, slowest ${slowest} ms`);
  }
  for (const [i, o] of ended.entries())
    t.diagnostic(`${names[i]}: closed after ${o.closedAfterMs} ms`);
});

test('SIGTERM with an idle keep-alive HTTPS connection open exits 0 within the kubelet grace period', {
  skip: NO_CERTS ?? false,
}, async () => {
  const certs = makeTestCerts();
  const s = await startWithToken([
    '--tls-cert',
    certs.serverCertFile,
    '--tls-key',
    certs.serverKeyFile,
  ]);
  const ca = certs.read(certs.caFile);
  // A keep-alive connection that made one request and stays open, as the apiserver's does.
  const idle = openStalledClient({
    port: s.port,
    tls: { ca },
    send: 'GET /healthz HTTP/1.1\r\nHost: kaudit\r\n\r\n',
    guardMs: GUARD_MS,
  });
  await idle.started;
  const ok = await request({ port: s.port, path: '/readyz', tls: { ca } });
  assert.equal(ok.status, 200);
  const t0 = Date.now();
  const code = await s.stop('SIGTERM');
  const took = Date.now() - t0;
  assert.equal(code, 0);
  // terminationGracePeriodSeconds defaults to 30: past it the kubelet sends SIGKILL.
  assert.ok(took < 30_000, `exit took ${took} ms`);
  const o = await idle.outcome;
  assert.ok(o.closedByServer);
  assert.match(o.received, /^HTTP\/1\.1 200 /);
});
