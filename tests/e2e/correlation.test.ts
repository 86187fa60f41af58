// A correlated rule's alert on its page, in a real browser against a real `kaudit serve`:
// events through the audit webhook, detection and its correlator, the SQLite store, the
// API and the UI, which shows the count, the window, the group key and the auditIDs of the
// events that made the alert. The group value is markup an attacker chose: shown as text.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { auditEvent } from '../helpers/events.ts';
import { eventList, type ServeProcess, startServe } from '../helpers/serve.ts';
import { PLANTED, PWNED_FLAG } from './helpers/alerts.ts';
import { type Browser, CHROMIUM_SKIP, launchBrowser } from './helpers/browser.ts';

const RULES = `
- rule: Forbidden Burst
  desc: one identity refused three times within a minute
  correlate:
    type: threshold
    count: 3
    within: 1m30s
    by: [ka.user.name]
    condition: ka.response.code = 403
  output: "%correlation.count refusals of %ka.user.name within %correlation.window"
  priority: WARNING
  source: k8s_audit
`;

const T0 = Date.UTC(2026, 10, 2, 10, 0, 0);
const USER = `mallory${PLANTED.img}`;

function at(sec: number, over: Record<string, unknown>) {
  const stamp = new Date(T0 + sec * 1000).toISOString().replace('Z', '000Z');
  return auditEvent({ stageTimestamp: stamp, requestReceivedTimestamp: stamp, ...over });
}

const refused = [0, 10, 20].map((sec) =>
  at(sec, {
    verb: 'get',
    user: { username: USER, groups: [] },
    objectRef: { resource: 'secrets', namespace: 'shop', name: 'db', apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 403 },
  }),
);
/** Later: event time passes the tolerance, so the correlator decides. */
const later = at(600, {
  verb: 'list',
  user: { username: 'carol', groups: [] },
  objectRef: { resource: 'pods', namespace: 'shop', apiVersion: 'v1' },
});

describe('the alert page of a correlated rule', { skip: CHROMIUM_SKIP, timeout: 120_000 }, () => {
  let serve: ServeProcess;
  let browser: Browser;
  let printed = '';

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kaudit-e2e-corr-'));
    const rules = join(dir, 'rules.yaml');
    writeFileSync(rules, RULES);
    serve = await startServe(
      ['--rules', rules, '--correlation-tolerance', '5s', '--store-retention', '36500d'],
      { dataDir: join(dir, 'data') },
    );
    for (const until = Date.now() + 10_000; printed === '' && Date.now() < until; ) {
      printed = /kaudit UI and API: (\S+)/.exec(serve.stderr())?.[1] ?? '';
      if (printed === '') await new Promise((r) => setTimeout(r, 50));
    }
    const r = await fetch(`http://127.0.0.1:${serve.port}/k8s-audit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: eventList([...refused, later]),
    });
    assert.equal(r.status, 200);
    await r.arrayBuffer();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await serve?.stop();
  });

  test('shows the count, the window, the group key and the auditIDs', async () => {
    const token = new URL(printed).searchParams.get('token') ?? '';
    const origin = `http://127.0.0.1:${serve.port}`;
    let id: string | undefined;
    for (const until = Date.now() + 20_000; id === undefined && Date.now() < until; ) {
      const res = await fetch(`${origin}/api/v1/alerts`, {
        headers: { authorization: `Bearer ${token}` },
      });
      id = ((await res.json()) as { items: { id: string }[] }).items[0]?.id;
      if (id === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(id, 'the correlated alert was stored');
    const page = browser.page;
    await page.goto(printed);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.goto(`${origin}/alerts/${encodeURIComponent(id)}`);
    await page.getByRole('heading', { name: 'Forbidden Burst', level: 1 }).waitFor();
    const block = page.locator('section.correlation');
    await block.getByRole('heading', { name: 'Correlation' }).waitFor();
    assert.equal(await block.locator('[data-corr="count"]').textContent(), '3');
    assert.equal(await block.locator('[data-corr="window"]').textContent(), '1m30s');
    assert.equal(await block.locator('dt code').textContent(), 'ka.user.name');
    assert.equal(await block.locator('[data-corr="group"]').textContent(), USER);
    await block.getByText('Audit IDs (3)').click();
    assert.deepEqual(
      await block.locator('[data-corr="auditids"] li').allTextContents(),
      refused.map((e) => String(e.auditID)),
    );
    assert.equal(
      await page.evaluate(
        (flag) => (window as unknown as Record<string, unknown>)[flag],
        PWNED_FLAG,
      ),
      undefined,
      'the planted markup stayed text',
    );
    assert.deepEqual(browser.problems, []);
  });
});
