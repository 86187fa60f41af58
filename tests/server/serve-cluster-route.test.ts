// One deployment, many clusters: `/k8s-audit/<cluster>` names the sender's cluster, which
// wins over the configured one; `/k8s-audit` keeps the configured one.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
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
