import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { auditEvent } from '../helpers/events.ts';
import { eventList, type ServeProcess, startServe } from '../helpers/serve.ts';

const running: ServeProcess[] = [];
after(async () => {
  for (const s of running) await s.stop('SIGKILL');
});

async function post(port: number, body: string, headers: Record<string, string> = {}) {
  const r = await fetch(`http://127.0.0.1:${port}/k8s-audit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

test('kaudit serve stores an EventList, detects on it, writes the alert to a file output, and drains on SIGTERM', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kaudit-serve-'));
  const file = join(dataDir, 'alerts.json');
  const s = await startServe(['--output', `file:${file}`, '--rule-matching', 'all'], { dataDir });
  running.push(s);
  const exec = auditEvent({
    verb: 'create',
    stage: 'ResponseStarted',
    objectRef: { resource: 'pods', subresource: 'exec', namespace: 'shop', name: 'db-0' },
    requestURI: '/api/v1/namespaces/shop/pods/db-0/exec?command=sh',
    responseStatus: { code: 101 },
  });
  const r = await post(s.port, eventList([exec, { kind: 'Event', stageTimestamp: 'yesterday' }]));
  assert.equal(r.status, 200);
  assert.equal(r.body.accepted, 1);
  assert.equal(r.body.rejected, 1);
  assert.deepEqual((r.body.errors as { index: number; reason: string }[])[0]?.index, 1);
  assert.equal(await s.stop(), 0);
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const alert = JSON.parse(lines.at(-1) as string) as {
    rule: string;
    output_fields: Record<string, unknown>;
  };
  assert.equal(alert.rule, 'Shell Into Pod');
  assert.equal(alert.output_fields['ka.target.name'], 'db-0');
});
