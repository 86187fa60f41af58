import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { auditEvent } from '../helpers/events.ts';
import { eventList, type ServeProcess, startServe } from '../helpers/serve.ts';

// A sequence whose first step is spooled, detected and committed before a SIGKILL, and
// whose last step arrives after the restart, fires: the correlation state was committed
// with the spool position. It fires once: neither the restart nor a later one repeats it.

const RULES = `
- rule: Service Account Created Then Used
  desc: a service account is created, then acts, within ten minutes
  correlate:
    type: sequence
    within: 10m
    steps:
      - name: created
        condition: ka.verb = create and ka.target.resource = serviceaccounts
        by: ["system:serviceaccount:%ka.target.namespace:%ka.target.name"]
      - name: used
        condition: ka.verb = list
        by: [ka.user.name]
  output: new service account %ka.user.name acted (%correlation.count steps)
  priority: WARNING
  source: k8s_audit
`;

const T0 = Date.UTC(2026, 10, 2, 10, 0, 0);

function at(sec: number, over: Record<string, unknown>) {
  const stamp = new Date(T0 + sec * 1000).toISOString().replace('Z', '000Z');
  return auditEvent({ stageTimestamp: stamp, requestReceivedTimestamp: stamp, ...over });
}

const created = at(0, {
  verb: 'create',
  requestURI: '/api/v1/namespaces/shop/serviceaccounts',
  objectRef: { resource: 'serviceaccounts', namespace: 'shop', name: 'helper', apiVersion: 'v1' },
});
/** A list by someone else, 30 s later: moves the clock, so step 1 leaves the reorder buffer. */
const other = at(30, {
  verb: 'list',
  user: { username: 'bob', groups: [] },
  objectRef: { resource: 'pods', namespace: 'shop' },
});
const used = at(120, {
  verb: 'list',
  user: { username: 'system:serviceaccount:shop:helper', groups: [] },
  objectRef: { resource: 'secrets', namespace: 'shop' },
});
const muchLater = (sec: number) =>
  at(sec, {
    verb: 'list',
    user: { username: 'carol', groups: [] },
    objectRef: { resource: 'pods' },
  });

const running: ServeProcess[] = [];
after(async () => {
  for (const s of running) if (s.child.exitCode === null) await s.stop('SIGKILL');
});

async function post(s: ServeProcess, items: readonly unknown[]): Promise<void> {
  const r = await fetch(`http://127.0.0.1:${s.port}/k8s-audit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: eventList(items),
  });
  assert.equal(r.status, 200);
  await r.arrayBuffer();
}

/** Waits until detection committed every spooled batch (read from spool.db as it is). */
async function committedAll(dataDir: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const db = new Database(join(dataDir, 'spool.db'), { readonly: true, fileMustExist: true });
    try {
      const head = db.prepare('SELECT max(position) AS p FROM batches').get() as { p: number };
      const done = db
        .prepare("SELECT position AS p FROM positions WHERE name = 'detection'")
        .get() as { p: number } | undefined;
      if (head.p !== null && done !== undefined && done.p >= head.p) return;
    } finally {
      db.close();
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('detection did not commit the spooled batches in time');
}

function firedIn(file: string): number {
  if (!existsSync(file)) return 0;
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"rule":"Service Account Created Then Used"')).length;
}

test('kaudit serve: a sequence straddling a SIGKILL fires after the restart, once', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kaudit-corr-crash-'));
  const rules = join(dataDir, 'rules.yaml');
  writeFileSync(rules, RULES);
  const args = (out: string) => [
    '--rules',
    rules,
    '--store',
    'none',
    '--correlation-tolerance',
    '10s',
    '--output',
    `file:${join(dataDir, out)}`,
  ];

  const first = await startServe(args('first.json'), { dataDir });
  running.push(first);
  await post(first, [created]);
  await post(first, [other]);
  await committedAll(dataDir);
  first.child.kill('SIGKILL');
  await first.exited;
  assert.equal(firedIn(join(dataDir, 'first.json')), 0);

  const second = await startServe(args('second.json'), { dataDir });
  running.push(second);
  await post(second, [used, muchLater(3600)]);
  await committedAll(dataDir);
  assert.equal(await second.stop(), 0, second.stderr());
  const line = readFileSync(join(dataDir, 'second.json'), 'utf8');
  assert.equal(firedIn(join(dataDir, 'second.json')), 1, line);
  assert.match(line, /new service account system:serviceaccount:shop:helper acted \(2 steps\)/);

  // A third run replays nothing: the batch that completed the sequence was committed.
  const third = await startServe(args('third.json'), { dataDir });
  running.push(third);
  await post(third, [muchLater(7200)]);
  await committedAll(dataDir);
  assert.equal(await third.stop(), 0);
  const total = ['first', 'second', 'third']
    .map((n) => firedIn(join(dataDir, `${n}.json`)))
    .reduce((a, b) => a + b, 0);
  assert.equal(total, 1);
});
