// kaudit scan --store: a log's alerts, with their events, go into the store kaudit serve
// reads (SQLite in its data directory, or PostgreSQL), once: a second load of the same log
// stores nothing twice. Checked against the alerts `kaudit scan --format json` prints, and
// through a real `kaudit serve` on the same data directory.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { createPostgresStore } from '../../src/store/index.ts';
import { runKaudit } from '../helpers/cli.ts';
import { freshSchema, POSTGRES_SKIP, postgresUrl } from '../helpers/postgres.ts';
import { startServe } from '../helpers/serve.ts';

const LOG = 'examples/audit.log';
const TOKEN = 'scan-store-test-token-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'kaudit-scan-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** `rule|time` of each alert scan prints for the example log, sorted. */
function expectedAlerts(): string[] {
  const r = runKaudit(['scan', '--format', 'json', '--rule-matching', 'all', LOG]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { rule: string; time: string })
    .map((a) => `${a.rule}|${a.time}`)
    .sort();
}

function storedLine(stderr: string): { stored: number; there: number } {
  const m = /alert store .*: (\d+) alert\(s\) stored, (\d+) already there/.exec(stderr);
  assert.ok(m, stderr);
  return { stored: Number(m[1]), there: Number(m[2]) };
}

describe('kaudit scan --store', { timeout: 120_000 }, () => {
  const expected = expectedAlerts();

  test('loads the alerts into a data directory that kaudit serve then shows', async () => {
    assert.ok(expected.length > 10, 'the example log raises alerts');
    const data = join(dir, 'data');
    const first = runKaudit(['scan', '--store', data, '--rule-matching', 'all', LOG]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, '', 'no alerts on stdout without --output');
    assert.deepEqual(storedLine(first.stderr), { stored: expected.length, there: 0 });
    // The same log again: every alert is already there.
    const again = runKaudit(['scan', '--store', data, '--rule-matching', 'all', LOG]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(storedLine(again.stderr), { stored: 0, there: expected.length });

    const serve = await startServe(['--store-retention', '36500d'], {
      dataDir: data,
      env: { KAUDIT_API_TOKENS: `${TOKEN}:read` },
    });
    try {
      const api = async (path: string) => {
        const r = await fetch(`http://127.0.0.1:${serve.port}/api/v1/${path}`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        assert.equal(r.status, 200, path);
        return r.json() as Promise<Record<string, unknown>>;
      };
      const page = (await api('alerts?limit=500')) as {
        items: { id: string; rule: string; time: string }[];
      };
      assert.deepEqual(page.items.map((a) => `${a.rule}|${a.time}`).sort(), expected);
      // Each alert kept its event, for the alert page.
      const one = (await api(`alerts/${page.items[0]?.id}`)) as { event: { auditID?: string } };
      assert.equal(typeof one.event?.auditID, 'string');
    } finally {
      await serve.stop();
    }
  });

  test('--output still prints alerts when asked; a bad store spec is one line', () => {
    const r = runKaudit([
      'scan',
      '--store',
      join(dir, 'other'),
      '--output',
      'stdout:json',
      '--rule-matching',
      'all',
      LOG,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.split('\n').filter((l) => l !== '').length, expected.length);
    const bad = runKaudit(['scan', '--store', 'redis://127.0.0.1/', LOG]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^kaudit: cannot open the alert store redis:\/\/127\.0\.0\.1\/: /);
    assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
  });

  test('loads the alerts into PostgreSQL, and never prints the password', {
    skip: POSTGRES_SKIP,
  }, async () => {
    const base = new URL(await postgresUrl());
    const schema = freshSchema();
    const admin = new pg.Client({ connectionString: base.href });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const url = new URL(base.href);
    url.password = 'pw-not-to-print';
    url.searchParams.set('options', `-c search_path=${schema}`);
    const r = runKaudit(['scan', '--store', url.href, '--rule-matching', 'all', LOG]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(storedLine(r.stderr), { stored: expected.length, there: 0 });
    assert.ok(!r.stderr.includes('pw-not-to-print'), r.stderr);
    const store = await createPostgresStore({ url: base.href, schema });
    try {
      const page = await store.list({}, { limit: 500 });
      assert.deepEqual(page.items.map((a) => `${a.rule}|${a.time}`).sort(), expected);
      assert.ok((await store.get(page.items[0]?.id ?? ''))?.event);
    } finally {
      await store.close();
    }
  });
});
