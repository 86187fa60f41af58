// A correlated rule's alert, end to end in `kaudit serve`: events through the audit
// webhook, the spool, detection and its correlator, the outbox, the alert store (SQLite,
// and PostgreSQL) and the API, which gives the alert page its correlation: the count, the
// window, the group key and the auditIDs of the events that made it. A suppression
// summary keeps how many alerts it held back.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { auditEvent } from '../helpers/events.ts';
import { freshSchema, POSTGRES_SKIP, postgresUrl } from '../helpers/postgres.ts';
import { eventList, type ServeProcess, startServe } from '../helpers/serve.ts';

const RULES = `
- rule: Forbidden Burst
  desc: one identity refused three times within a minute
  correlate:
    type: threshold
    count: 3
    within: 1m
    by: [ka.user.name]
    condition: ka.response.code = 403
  output: "%correlation.count refusals of %ka.user.name within %correlation.window"
  priority: WARNING
  source: k8s_audit

- rule: Configmap Deleted
  desc: a configmap was deleted
  condition: ka.verb = delete and ka.target.resource = configmaps
  output: "configmap %ka.target.name deleted by %ka.user.name"
  priority: NOTICE
  source: k8s_audit

- rule: Configmap Deleted
  suppress:
    within: 10m
    by: [ka.user.name]
  override:
    suppress: replace
`;

const T0 = Date.UTC(2026, 10, 2, 10, 0, 0);

function at(sec: number, over: Record<string, unknown>) {
  const stamp = new Date(T0 + sec * 1000).toISOString().replace('Z', '000Z');
  return auditEvent({ stageTimestamp: stamp, requestReceivedTimestamp: stamp, ...over });
}

// The user name carries markup: the API returns it as data, never interpreted.
const USER = 'mallory<b>"x"</b>';
const refused = [0, 10, 20].map((sec) =>
  at(sec, {
    verb: 'get',
    user: { username: USER, groups: [] },
    objectRef: { resource: 'secrets', namespace: 'shop', name: 'db', apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 403 },
  }),
);
const deleted = [30, 31, 32].map((sec) =>
  at(sec, {
    verb: 'delete',
    user: { username: 'bob', groups: [] },
    objectRef: { resource: 'configmaps', namespace: 'shop', name: `c${sec}`, apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 200 },
  }),
);
/** Far later: event time passes every window and the tolerance, so everything is decided. */
const later = at(3600, {
  verb: 'list',
  user: { username: 'carol', groups: [] },
  objectRef: { resource: 'pods', namespace: 'shop', apiVersion: 'v1' },
});

const running: ServeProcess[] = [];
after(async () => {
  for (const s of running) if (s.child.exitCode === null) await s.stop('SIGKILL');
});

interface ApiCorrelation {
  readonly count: number;
  readonly windowMs: number;
  readonly group: Record<string, string>;
  readonly auditIds: string[];
  readonly suppressed?: number;
}

interface ApiAlert {
  readonly id: string;
  readonly rule: string;
  readonly message: string;
  readonly correlation?: ApiCorrelation | null;
  readonly event?: { auditID?: string } | null;
}

async function checkRoundTrip(storeArgs: readonly string[]): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kaudit-corr-store-'));
  const rules = join(dataDir, 'rules.yaml');
  writeFileSync(rules, RULES);
  const serve = await startServe(
    [
      '--rules',
      rules,
      '--correlation-tolerance',
      '5s',
      '--store-retention',
      '36500d',
      ...storeArgs,
    ],
    { dataDir: join(dataDir, 'data') },
  );
  running.push(serve);
  // The address with the admin token is printed once the UI is up, after 'listening'.
  let printed = '';
  for (const until = Date.now() + 10_000; printed === '' && Date.now() < until; ) {
    printed = /kaudit UI and API: (\S+)/.exec(serve.stderr())?.[1] ?? '';
    if (printed === '') await new Promise((res) => setTimeout(res, 50));
  }
  const token = new URL(printed).searchParams.get('token') ?? '';
  assert.notEqual(token, '', serve.stderr());
  const api = async <T>(path: string): Promise<T> => {
    const r = await fetch(`http://127.0.0.1:${serve.port}/api/v1/${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(r.status, 200, path);
    return (await r.json()) as T;
  };
  const r = await fetch(`http://127.0.0.1:${serve.port}/k8s-audit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: eventList([...refused, ...deleted, later]),
  });
  assert.equal(r.status, 200);
  await r.arrayBuffer();

  // Burst: one alert; Configmap Deleted: the first, then the summary of the two held back.
  const deadline = Date.now() + 20_000;
  let items: ApiAlert[] = [];
  while (Date.now() < deadline) {
    items = (await api<{ items: ApiAlert[] }>('alerts?limit=50')).items;
    if (items.length >= 3) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.deepEqual(items.map((a) => a.rule).sort(), [
    'Configmap Deleted',
    'Configmap Deleted',
    'Forbidden Burst',
  ]);

  const burst = items.find((a) => a.rule === 'Forbidden Burst') as ApiAlert;
  const page = await api<ApiAlert>(`alerts/${burst.id}`);
  assert.deepEqual(page.correlation, {
    count: 3,
    windowMs: 60_000,
    group: { 'ka.user.name': USER },
    auditIds: refused.map((e) => e.auditID as string),
  });
  assert.equal(page.message, `3 refusals of ${USER} within 1m`);
  assert.equal(page.event?.auditID, refused[2]?.auditID, 'the event that completed it');
  assert.deepEqual(burst.correlation, page.correlation, 'the list carries it too');

  const cm = items.filter((a) => a.rule === 'Configmap Deleted');
  const first = cm.find((a) => a.correlation === null);
  const summary = cm.find((a) => a.correlation !== null);
  assert.ok(first, 'the first alert of the window is written as it is');
  assert.deepEqual((await api<ApiAlert>(`alerts/${summary?.id}`)).correlation, {
    count: 2,
    windowMs: 600_000,
    group: { 'ka.user.name': 'bob' },
    auditIds: deleted.slice(1).map((e) => e.auditID as string),
    suppressed: 2,
  });
  assert.equal(await serve.stop(), 0, serve.stderr());
}

describe('kaudit serve: a correlated alert reaches the API with its correlation', () => {
  test('SQLite store', async () => {
    await checkRoundTrip([]);
  });

  test('PostgreSQL store', { skip: POSTGRES_SKIP }, async () => {
    const url = new URL(await postgresUrl());
    const schema = freshSchema();
    const admin = new pg.Client({ connectionString: url.href });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    url.searchParams.set('options', `-c search_path=${schema}`);
    await checkRoundTrip(['--store', url.href]);
  });
});
