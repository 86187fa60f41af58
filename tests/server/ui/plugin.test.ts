import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  acceptsGzip,
  BasePathError,
  CONTENT_SECURITY_POLICY,
  loadUiAssets,
  SECURITY_HEADERS,
  UiError,
  uiPlugin,
} from '../../../src/server/ui/index.ts';

// A small built UI of our own, so these tests do not depend on the real bundle's names.
const JS = `console.log(${JSON.stringify('x'.repeat(2000))});\n`;
const INDEX =
  '<!doctype html><html><head><meta name="kaudit-base" content="{{base}}" />' +
  '<script type="module" src="{{base}}/assets/main-AAAA.js"></script></head>' +
  '<body><div id="app"></div></body></html>\n';

let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kaudit-ui-test-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), INDEX);
  await writeFile(join(dir, 'assets', 'main-AAAA.js'), JS);
  await writeFile(join(dir, 'assets', 'main-BBBB.css'), 'body{color:red}');
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function serve(basePath: string): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(uiPlugin, { basePath, assetsDir: dir });
  // A route of another plugin under the base, as the API will have.
  app.get(`${basePath}/api/v1/whoami`, async () => ({ role: 'read' }));
  await app.ready();
  return app;
}

function assertSecurityHeaders(headers: Record<string, unknown>): void {
  assert.equal(headers['content-security-policy'], CONTENT_SECURITY_POLICY);
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) assert.equal(headers[k], v, k);
}

describe('uiPlugin at the root', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await serve('');
  });
  after(() => app.close());

  test('GET / is index.html with an empty base and the security headers', async () => {
    const res = await app.inject({ url: '/' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.ok(res.body.includes('<meta name="kaudit-base" content="" />'));
    assert.ok(res.body.includes('src="/assets/main-AAAA.js"'));
    assertSecurityHeaders(res.headers);
  });

  test('the CSP is the one the contract names', () => {
    assert.equal(
      CONTENT_SECURITY_POLICY,
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
  });

  test('client-side routes get index.html', async () => {
    for (const url of ['/alerts', '/alerts/123?x=1', '/login']) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.body, await app.inject({ url: '/' }).then((r) => r.body));
    }
  });

  test('a hashed asset is served immutable, gzipped when the client takes it', async () => {
    const plain = await app.inject({ url: '/assets/main-AAAA.js' });
    assert.equal(plain.statusCode, 200);
    assert.equal(plain.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body, JS);
    assertSecurityHeaders(plain.headers);
    const gz = await app.inject({
      url: '/assets/main-AAAA.js',
      headers: { 'accept-encoding': 'br, gzip' },
    });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gz.headers.vary, 'accept-encoding');
    assert.equal(gunzipSync(gz.rawPayload).toString(), JS);
  });

  test('a missing asset is a 404 with the headers, never the page', async () => {
    for (const url of ['/assets/main-ZZZZ.js', '/assets/sub/main-AAAA.js']) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 404, url);
      assert.ok(!res.body.includes('kaudit-base'), url);
      assertSecurityHeaders(res.headers);
    }
  });

  test('no path reaches files outside the built assets', async () => {
    for (const url of [
      '/assets/..%2Findex.html',
      '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
      '/assets/../../package.json',
    ]) {
      const res = await app.inject({ url });
      assert.ok(!res.body.includes('"name"'), url);
      assert.ok(res.statusCode === 404 || res.body.includes('kaudit-base'), url);
    }
  });

  test('an unknown API path is the JSON 404, not the page; a real API route still answers', async () => {
    const res = await app.inject({ url: '/api/v1/nope' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'not_found');
    assert.deepEqual((await app.inject({ url: '/api/v1/whoami' })).json(), { role: 'read' });
  });

  test('HEAD works like GET without a body', async () => {
    const res = await app.inject({ method: 'HEAD', url: '/alerts' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, '');
  });
});

describe('uiPlugin under a base path', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await serve('/tools/kaudit');
  });
  after(() => app.close());

  test('the base path is written into index.html and every asset URL', async () => {
    for (const url of ['/tools/kaudit', '/tools/kaudit/', '/tools/kaudit/alerts/7']) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 200, url);
      assert.ok(res.body.includes('<meta name="kaudit-base" content="/tools/kaudit" />'), url);
      assert.ok(res.body.includes('src="/tools/kaudit/assets/main-AAAA.js"'), url);
    }
    const asset = await app.inject({ url: '/tools/kaudit/assets/main-BBBB.css' });
    assert.equal(asset.statusCode, 200);
    assert.equal(asset.headers['content-type'], 'text/css; charset=utf-8');
  });

  test('paths outside the base are not the UI', async () => {
    assert.equal((await app.inject({ url: '/' })).statusCode, 404);
    assert.equal((await app.inject({ url: '/assets/main-AAAA.js' })).statusCode, 404);
    assert.equal((await app.inject({ url: '/tools/kaudit/api/v1/x' })).statusCode, 404);
  });
});

describe('uiPlugin refuses what it cannot serve', () => {
  test('a base path that is not a plain path', async () => {
    for (const basePath of [
      '"><script>alert(1)</script>',
      '//evil.example',
      '/a/../b',
      'http://x/y',
      '/a?b',
    ]) {
      const app = Fastify();
      await assert.rejects(
        async () => {
          await app.register(uiPlugin, { basePath, assetsDir: dir });
          await app.ready();
        },
        (e: unknown) => e instanceof BasePathError && e.code === 'invalid_base_path',
        basePath,
      );
      await app.close();
    }
  });

  test('a directory without a build', async () => {
    await assert.rejects(
      loadUiAssets(join(dir, 'nothing-here')),
      (e: unknown) => e instanceof UiError && e.code === 'ui_not_built',
    );
  });
});

test('acceptsGzip() honours q=0', () => {
  assert.equal(acceptsGzip('gzip, deflate, br'), true);
  assert.equal(acceptsGzip('br;q=1.0, gzip;q=0.8'), true);
  assert.equal(acceptsGzip('gzip;q=0'), false);
  assert.equal(acceptsGzip('gzip;q=0.000'), false);
  assert.equal(acceptsGzip('identity'), false);
  assert.equal(acceptsGzip(undefined), false);
});
