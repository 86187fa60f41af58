// One deployment, many clusters: `/k8s-audit/<cluster>` names the sender's cluster, which
// wins over the configured one; `/k8s-audit` keeps the configured one.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runKaudit } from '../helpers/cli.ts';
import { postAudit, request } from '../helpers/http-request.ts';
import { eventList, type ServeProcess, startServe } from '../helpers/serve.ts';
import {
  EVERY_EVENT_RULE,
  numberedEvents,
  readAlerts,
  tempDir,
  waitFor,
  writeRules,
} from '../helpers/serve-kit.ts';

let s: ServeProcess | undefined;
after(async () => {
  await s?.stop('SIGKILL');
});

test('POST /k8s-audit/<cluster> gives its events that cluster; a malformed name is refused with 404', async () => {
  const dir = tempDir();
  writeRules(dir, EVERY_EVENT_RULE);
  const file = join(dir, 'alerts.json');
  s = await startServe([
    '-r',
    join(dir, 'rules.yaml'),
    '--output',
    `file:${file}`,
    '--cluster',
    'configured',
  ]);
  const port = s.port;
  const path = (p: string) =>
    request({
      port,
      method: 'POST',
      path: p,
      body: eventList(numberedEvents(p.slice(11) || 'plain', 2)),
      headers: { 'content-type': 'application/json' },
    });
  assert.equal((await path('/k8s-audit/prod-us-1')).status, 200);
  assert.equal((await postAudit(port, eventList(numberedEvents('plain', 2)))).status, 200);
  const bad = await path('/k8s-audit/bad%20name');
  assert.equal(bad.status, 404, bad.text);
  assert.match(bad.text, /BAD_CLUSTER/);
  const alerts = await waitFor('four alerts', () => {
    const a = readAlerts(file);
    return a.length >= 4 ? a : undefined;
  });
  const byId = new Map(
    alerts.map((a) => [String(a.output).match(/id=(\S+)/)?.[1], String(a.output)]),
  );
  assert.match(byId.get('prod-us-1-0') ?? '', /cluster=prod-us-1$/);
  assert.match(byId.get('plain-1') ?? '', /cluster=configured$/);
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  assert.match(
    metrics,
    /kaudit_http_requests_total\{route="\/k8s-audit\/:cluster",status="200"\} 1/,
  );
});

test("a token file line TOKEN CLUSTER names its sender's cluster; the path still wins; a bad line is refused", async () => {
  const dir = tempDir();
  writeRules(dir, EVERY_EVENT_RULE);
  const file = join(dir, 'alerts.json');
  const tokens = join(dir, 'tokens');
  writeFileSync(
    tokens,
    '# one deployment, two clusters and a shipper\ntok-a prod-a\ntok-b prod-b\ntok-plain\n',
  );
  const t = await startServe([
    '-r',
    join(dir, 'rules.yaml'),
    '--output',
    `file:${file}`,
    '--cluster',
    'configured',
    '--token-file',
    tokens,
  ]);
  try {
    const send = async (token: string, prefix: string, path = '/k8s-audit') => {
      const r = await request({
        port: t.port,
        method: 'POST',
        path,
        body: eventList(numberedEvents(prefix, 1)),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      });
      assert.equal(r.status, 200, r.text);
    };
    await send('tok-a', 'from-a');
    await send('tok-b', 'from-b');
    await send('tok-plain', 'from-plain');
    await send('tok-a', 'a-on-path', '/k8s-audit/path-c');
    const alerts = await waitFor('four alerts', () => {
      const a = readAlerts(file);
      return a.length >= 4 ? a : undefined;
    });
    const cluster = new Map(
      alerts.map((a) => [
        /id=(\S+)/.exec(String(a.output))?.[1],
        /cluster=(\S+)$/.exec(String(a.output))?.[1],
      ]),
    );
    assert.deepEqual(Object.fromEntries(cluster), {
      'from-a-0': 'prod-a',
      'from-b-0': 'prod-b',
      'from-plain-0': 'configured',
      'a-on-path-0': 'path-c',
    });
  } finally {
    await t.stop('SIGKILL');
  }
  writeFileSync(tokens, 'tok-a prod a\n');
  const r = runKaudit([
    'serve',
    '--listen',
    '127.0.0.1:0',
    '--data-dir',
    join(dir, 'd2'),
    '--token-file',
    tokens,
  ]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /tokens:1: expected TOKEN or TOKEN CLUSTER/);
  assert.doesNotMatch(r.stderr, /tok-a/, 'the secret is not echoed');
});
