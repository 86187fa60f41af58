// HTTP and HTTPS on one listener, bearer tokens and client certificates, against real
// `kaudit serve` processes with a CA, server and client certificates made by openssl.
// Every event posted carries an auditID that says whether the server had to keep it; the
// last test checks the alert files: each kept event alerted exactly once, no refused one.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { auditEvent } from '../helpers/events.ts';
import { type ClientTls, type HttpResult, postAudit, request } from '../helpers/http-request.ts';
import { eventList, type ServeProcess, startServe } from '../helpers/serve.ts';
import {
  alertedIds,
  EVERY_EVENT_RULE,
  tempDir,
  waitFor,
  writeRules,
} from '../helpers/serve-kit.ts';
import { certsUnavailable, makeTestCerts, type TestCerts } from '../helpers/test-certs.ts';

const NO_CERTS = certsUnavailable();
const TOKEN = 'token-a-3f9c2e7d';
const ROTATED = 'token-b-81aa04c6';
const API_TOKEN = 'api-token-0c3e9a51';

interface Server {
  readonly proc: ServeProcess;
  readonly alerts: string;
  readonly kept: string[];
  readonly refused: string[];
}
const servers: Server[] = [];
let certs: TestCerts;
let dir: string;
let tokenFile: string;
let rules: string;
let seq = 0;

async function start(args: readonly string[], env: Record<string, string> = {}): Promise<Server> {
  const alerts = join(dir, `alerts-${servers.length}.json`);
  const proc = await startServe(['-r', rules, '--output', `file:${alerts}`, ...args], { env });
  const s = { proc, alerts, kept: [], refused: [] };
  servers.push(s);
  return s;
}

const tlsArgs = (): string[] => [
  '--tls-cert',
  certs.serverCertFile,
  '--tls-key',
  certs.serverKeyFile,
];
const trust = (): ClientTls => ({ ca: certs.read(certs.caFile) });
const withClientCert = (): ClientTls => ({
  ...trust(),
  cert: certs.read(certs.clientCertFile),
  key: certs.read(certs.clientKeyFile),
});

/** Posts one event; records whether the server should have kept it. */
async function send(
  s: Server,
  expectKept: boolean,
  opts: { tls?: ClientTls; authorization?: string },
): Promise<HttpResult> {
  const id = `auth-${++seq}`;
  const r = await postAudit(s.proc.port, eventList([auditEvent({ auditID: id })]), {
    ...(opts.tls !== undefined ? { tls: opts.tls } : {}),
    headers: opts.authorization !== undefined ? { authorization: opts.authorization } : {},
  });
  (expectKept ? s.kept : s.refused).push(id);
  return r;
}

function assertUnauthorized(r: HttpResult, what: string): void {
  assert.equal(r.status, 401, `${what}: ${r.text}`);
  assert.match(String(r.headers['www-authenticate']), /^Bearer realm="kaudit"$/, what);
  assert.equal(r.json<{ error: { code: string } }>().error.code, 'UNAUTHORIZED', what);
}

before(() => {
  if (NO_CERTS !== undefined) return;
  certs = makeTestCerts();
  dir = tempDir();
  tokenFile = join(dir, 'tokens');
  writeFileSync(tokenFile, `# current and next token (rotation)\n${TOKEN}\n\n${ROTATED}\n`);
  rules = writeRules(dir, EVERY_EVENT_RULE);
});
after(async () => {
  for (const s of servers) await s.proc.stop('SIGKILL');
});

const skip = NO_CERTS ?? false;

test('HTTPS with --token-file and --client-ca: a client certificate or a token is enough, anything else gets 401', {
  skip,
}, async () => {
  const s = await start([...tlsArgs(), '--token-file', tokenFile, '--client-ca', certs.caFile]);
  for (const [what, opts] of [
    ['client certificate', { tls: withClientCert() }],
    ['token', { tls: trust(), authorization: `Bearer ${TOKEN}` }],
    ['second token of the file', { tls: trust(), authorization: `Bearer ${ROTATED}` }],
    ['lower-case scheme', { tls: trust(), authorization: `bearer ${TOKEN}` }],
    ['certificate and token', { tls: withClientCert(), authorization: `Bearer ${TOKEN}` }],
  ] as const) {
    const r = await send(s, true, opts);
    assert.equal(r.status, 200, `${what}: ${r.text}`);
  }
  for (const [what, opts] of [
    ['no credentials', { tls: trust() }],
    ['wrong token', { tls: trust(), authorization: 'Bearer not-the-token' }],
    ['a prefix of the token', { tls: trust(), authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
    ['the token and more', { tls: trust(), authorization: `Bearer ${TOKEN}x` }],
    [
      'Basic scheme',
      { tls: trust(), authorization: `Basic ${Buffer.from(`a:${TOKEN}`).toString('base64')}` },
    ],
    ['empty Authorization', { tls: trust(), authorization: '' }],
    [
      'the server certificate as a client certificate (serverAuth only)',
      {
        tls: {
          ...trust(),
          cert: certs.read(certs.serverCertFile),
          key: certs.read(certs.serverKeyFile),
        },
      },
    ],
  ] as const) {
    assertUnauthorized(await send(s, false, opts), what);
  }
});

test('HTTPS with --client-ca only: a certificate from another CA, or any token, gets 401', {
  skip,
}, async () => {
  const s = await start([...tlsArgs(), '--client-ca', certs.otherCaFile]);
  assertUnauthorized(await send(s, false, { tls: withClientCert() }), 'certificate of another CA');
  assertUnauthorized(
    await send(s, false, { tls: trust(), authorization: `Bearer ${TOKEN}` }),
    'a token when none is configured',
  );
  assertUnauthorized(await send(s, false, { tls: trust() }), 'no credentials');
});

test('HTTPS without auth on loopback takes batches; plain HTTP on the same port is refused for them', {
  skip,
}, async () => {
  const s = await start(tlsArgs());
  assert.equal((await send(s, true, { tls: trust() })).status, 200);
  const plain = await send(s, false, {});
  assert.equal(plain.status, 400, plain.text);
  assert.equal(plain.json<{ error: { code: string } }>().error.code, 'HTTPS_REQUIRED');
});

test('with TLS on, plain HTTP on the same port answers only /healthz, /readyz and /metrics', {
  skip,
}, async () => {
  const s = await start([...tlsArgs(), '--token-file', tokenFile], {
    KAUDIT_API_TOKENS: `${API_TOKEN}:read`,
  });
  const port = s.proc.port;
  for (const path of ['/healthz', '/readyz', '/metrics']) {
    const plain = await request({ port, path });
    assert.equal(plain.status, 200, `plain ${path}`);
    const secure = await request({ port, path, tls: trust() });
    assert.equal(secure.status, 200, `https ${path}`);
    assert.equal(secure.headers['content-type'], plain.headers['content-type']);
  }
  // A token sent in clear text is refused even when it is right.
  const clear = await send(s, false, { authorization: `Bearer ${TOKEN}` });
  assert.equal(clear.status, 400);
  // The UI and the alerts API answer over HTTPS, and not over plain HTTP: their tokens and
  // session cookies must not travel in clear text.
  const api = { authorization: `Bearer ${API_TOKEN}` };
  for (const path of ['/', '/api/v1/alerts', '/api/v1/openapi.json']) {
    const secure = await request({ port, path, headers: api, tls: trust() });
    assert.equal(secure.status, 200, `https GET ${path}: ${secure.text.slice(0, 200)}`);
    const plain = await request({ port, path, headers: api });
    assert.equal(plain.status, 400, `plain GET ${path} answered ${plain.status}`);
    assert.equal(plain.json<{ error: { code: string } }>().error.code, 'HTTPS_REQUIRED');
  }
  for (const [method, path] of [
    ['GET', '/k8s-audit'],
    ['POST', '/login'],
    ['GET', '/no-such-page'],
  ] as const) {
    const r = await request({ port, method, path, headers: api });
    assert.equal(r.status, 400, `plain ${method} ${path} answered ${r.status}`);
  }
});

test('plain HTTP with --token-file: the token is required', async () => {
  if (dir === undefined) {
    dir = tempDir();
    tokenFile = join(dir, 'tokens');
    writeFileSync(tokenFile, `${TOKEN}\n${ROTATED}\n`);
    rules = writeRules(dir, EVERY_EVENT_RULE);
  }
  const s = await start(['--token-file', tokenFile]);
  assert.equal((await send(s, true, { authorization: `Bearer ${TOKEN}` })).status, 200);
  assert.equal((await send(s, true, { authorization: `Bearer  ${ROTATED} ` })).status, 200);
  assertUnauthorized(await send(s, false, {}), 'no token');
  assertUnauthorized(await send(s, false, { authorization: 'Bearer nope' }), 'wrong token');
  assertUnauthorized(await send(s, false, { authorization: `Token ${TOKEN}` }), 'other scheme');
  const m = await request({ port: s.proc.port, path: '/metrics' });
  assert.equal(m.status, 200, 'probes and scrapes need no token');
});

test('every acknowledged event is alerted exactly once; no refused one is', async () => {
  for (const s of servers) {
    await waitFor(`alerts of ${s.alerts}`, () => {
      const got = alertedIds(s.alerts);
      return s.kept.every((id) => got.includes(id)) ? true : undefined;
    });
  }
  await new Promise((r) => setTimeout(r, 500));
  for (const s of servers) {
    const got = alertedIds(s.alerts);
    assert.deepEqual([...got].sort(), [...s.kept].sort(), s.alerts);
    for (const id of s.refused) assert.ok(!got.includes(id), `${id} was refused but alerted`);
  }
});
