import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { makeAlert } from '../../helpers/store-alerts.ts';
import { ADMIN_TOKEN, type ApiServer, call, READ_TOKEN, startApi } from '../api/harness.ts';

function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { host } }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

/** The `kaudit_session=...` pair of a response's Set-Cookie, and its attributes. */
function sessionCookie(res: Response): { pair: string; attrs: string } {
  const set = res.headers.getSetCookie().find((c) => c.startsWith('kaudit_session='));
  assert.ok(set, 'a session cookie is set');
  const [pair, ...attrs] = set.split('; ');
  return { pair: pair as string, attrs: attrs.join('; ') };
}

describe('API authentication and roles', () => {
  let s: ApiServer;
  before(async () => {
    s = await startApi({ basePath: '/k' });
    await s.store.insert([makeAlert({ rule: 'x' })]);
  });
  after(() => s.close());

  it('401 with a JSON error and WWW-Authenticate without a valid token, on every route', async () => {
    for (const path of [
      '/api/v1/alerts',
      '/api/v1/alerts/1',
      '/api/v1/alerts/counts',
      '/api/v1/alerts/export?format=csv',
      '/api/v1/alerts/stream',
      '/api/v1/rules',
      '/api/v1/whoami',
    ]) {
      for (const token of [
        null,
        'wrong-token-0123456789abcdef',
        `${ADMIN_TOKEN}x`,
        ADMIN_TOKEN.slice(0, -1),
      ]) {
        const r = await call(s, path, { token });
        assert.equal(r.status, 401, `${path} with ${token}`);
        assert.equal(r.body.error.code, 'unauthorized');
        assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer/);
      }
    }
    const basic = await call(s, '/api/v1/alerts', {
      token: null,
      headers: { authorization: `Basic ${ADMIN_TOKEN}` },
    });
    assert.equal(basic.status, 401);
  });

  it('403 for a read token on admin routes; the admin token passes', async () => {
    const del = await call(s, '/api/v1/alerts?rule=nothing', {
      method: 'DELETE',
      token: READ_TOKEN,
    });
    assert.equal(del.status, 403);
    assert.equal(del.body.error.code, 'forbidden');
    const reload = await call(s, '/api/v1/admin/reload-rules', {
      method: 'POST',
      token: READ_TOKEN,
    });
    assert.equal(reload.status, 403);
    const ok = await call(s, '/api/v1/alerts?rule=nothing', {
      method: 'DELETE',
      token: ADMIN_TOKEN,
    });
    assert.deepEqual(ok.body, { deleted: 0 });
  });

  it('the OpenAPI document is public', async () => {
    const r = await call(s, '/api/v1/openapi.json', { token: null });
    assert.equal(r.status, 200);
    assert.equal(r.body.openapi, '3.1.0');
  });

  it('/?token= sets an HttpOnly SameSite=Strict session cookie and redirects without the token', async () => {
    const res = await fetch(`${s.url}/alerts?priority=error&token=${READ_TOKEN}&x=1`, {
      redirect: 'manual',
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/k/alerts?priority=error&x=1');
    const { pair, attrs } = sessionCookie(res);
    assert.match(attrs, /HttpOnly/);
    assert.match(attrs, /SameSite=Strict/);
    assert.match(attrs, /Path=\/k(;|$)/);
    assert.doesNotMatch(attrs, /Secure/, 'plain HTTP: no Secure flag');
    assert.equal(pair.includes(READ_TOKEN), false, 'the cookie never holds the token');
    const who = await call(s, '/api/v1/whoami', { token: null, headers: { cookie: pair } });
    assert.deepEqual(who.body, { role: 'read' });
    const bad = await fetch(`${s.url}/?token=not-a-token-0123456789`, { redirect: 'manual' });
    assert.equal(bad.status, 303);
    assert.equal(bad.headers.get('location'), '/k/login?error=invalid_token');
    assert.equal(bad.headers.getSetCookie().length, 0);
  });

  it('a cookie session needs X-Kaudit-CSRF: 1 for unsafe requests; bearer requests do not', async () => {
    const res = await fetch(`${s.url}/?token=${ADMIN_TOKEN}`, { redirect: 'manual' });
    const { pair } = sessionCookie(res);
    const without = await call(s, '/api/v1/alerts?rule=none', {
      method: 'DELETE',
      token: null,
      headers: { cookie: pair },
    });
    assert.equal(without.status, 403);
    assert.equal(without.body.error.code, 'csrf_header_required');
    const withHeader = await call(s, '/api/v1/alerts?rule=none', {
      method: 'DELETE',
      token: null,
      headers: { cookie: pair, 'x-kaudit-csrf': '1' },
    });
    assert.deepEqual(withHeader.body, { deleted: 0 });
    const reads = await call(s, '/api/v1/alerts', { token: null, headers: { cookie: pair } });
    assert.equal(reads.status, 200, 'GET needs no header');
  });

  it('a forged or altered cookie is refused', async () => {
    const res = await fetch(`${s.url}/?token=${ADMIN_TOKEN}`, { redirect: 'manual' });
    const { pair } = sessionCookie(res);
    const value = pair.slice('kaudit_session='.length);
    const [v, fp, exp, sig] = value.split('.') as [string, string, string, string];
    const forged = [
      `${v}.${fp}.${Number(exp) + 1000}.${sig}`,
      `${v}.${fp}.${exp}.${sig.slice(0, -2)}AA`,
      `${v}.${randomBytes(32).toString('base64url')}.${exp}.${sig}`,
      ADMIN_TOKEN,
      '',
    ];
    for (const f of forged) {
      const r = await call(s, '/api/v1/whoami', {
        token: null,
        headers: { cookie: `kaudit_session=${f}` },
      });
      assert.equal(r.status, 401, f);
    }
  });

  it('POST /login sets the cookie from the form; from another origin it is refused; logout ends it', async () => {
    const form = (token: string, headers: Record<string, string> = {}) =>
      fetch(`${s.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams({ token }).toString(),
      });
    const ok = await form(ADMIN_TOKEN);
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), '/k/');
    const { pair } = sessionCookie(ok);
    assert.equal(
      (await call(s, '/api/v1/whoami', { token: null, headers: { cookie: pair } })).status,
      200,
    );
    const wrong = await form('wrong-token-0123456789abcdef');
    assert.equal(wrong.status, 303);
    assert.equal(wrong.headers.get('location'), '/k/login?error=invalid_token');
    const cross = await form(ADMIN_TOKEN, { origin: 'http://evil.example' });
    assert.equal(cross.status, 403);
    const out = await fetch(`${s.url}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: pair },
    });
    assert.equal(out.status, 303);
    assert.equal(out.headers.get('location'), '/k/login');
    assert.match(out.headers.getSetCookie()[0] ?? '', /^kaudit_session=;.*Max-Age=0/);
    const after = await call(s, '/api/v1/whoami', { token: null, headers: { cookie: pair } });
    assert.equal(after.status, 401, 'a logged-out cookie no longer works');
  });
});

describe('API without authentication (--no-auth, loopback)', () => {
  it('serves a loopback Host as admin, refuses other Hosts, and still wants the CSRF header', async () => {
    const s = await startApi({ auth: { tokens: false, secret: randomBytes(32) } });
    try {
      assert.deepEqual((await call(s, '/api/v1/whoami', { token: null })).body, { role: 'admin' });
      // fetch() will not send another Host: node:http does, as a rebound DNS name would.
      const rebound = await getWithHost(`${s.url}/api/v1/whoami`, 'attacker.example:80');
      assert.equal(rebound.status, 403);
      assert.equal(JSON.parse(rebound.body).error.code, 'bad_host');
      assert.equal((await getWithHost(`${s.url}/api/v1/whoami`, 'localhost:1')).status, 200);
      const del = await call(s, '/api/v1/alerts?all=true', { method: 'DELETE', token: null });
      assert.equal(del.status, 403, 'a cross-site form could send this');
      const withHeader = await call(s, '/api/v1/alerts?all=true', {
        method: 'DELETE',
        token: null,
        headers: { 'x-kaudit-csrf': '1' },
      });
      assert.equal(withHeader.status, 200);
    } finally {
      await s.close();
    }
  });
});
