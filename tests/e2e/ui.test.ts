// The web UI in a real browser against a real `kaudit serve` (bin/kaudit as users run it:
// events through the audit webhook, detection, the SQLite store, the API and the UI under
// a base path): sign in with the token it printed, dashboard, filters, paging, alert page,
// live alerts, keyboard, export, phone layout, theme, and planted markup that must stay text.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { Alert } from '../../src/engine/index.ts';
import { hostileLines, liveLine, PLANTED, PWNED_FLAG } from './helpers/alerts.ts';
import { type Browser, CHROMIUM_SKIP, launchBrowser } from './helpers/browser.ts';
import { startUiServer, type UiServer } from './helpers/server.ts';

// The example log's hour, as a custom range of the UI.
const EXAMPLE_RANGE = 'from=2026-03-02T10%3A00%3A00Z&to=2026-03-02T11%3A00%3A00Z';

function countBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return m;
}

function userOf(a: Alert): string | undefined {
  const u = (a.event?.user as { username?: unknown } | undefined)?.username;
  return typeof u === 'string' ? u : undefined;
}

async function rowCount(page: Page): Promise<number> {
  return page.locator('table.alerts tbody tr').count();
}

async function pwned(page: Page): Promise<unknown> {
  return page.evaluate((flag) => (window as unknown as Record<string, unknown>)[flag], PWNED_FLAG);
}

describe('web UI in Chromium', { skip: CHROMIUM_SKIP, timeout: 180_000 }, () => {
  let server: UiServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    server = await startUiServer();
    browser = await launchBrowser();
    page = browser.page;
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('without a session the UI shows the login form; a wrong token is refused', async () => {
    await page.goto(`${server.url}/alerts?user=x`);
    await page.getByLabel('API token').waitFor();
    assert.match(page.url(), /\/kaudit\/login\?next=%2Falerts%3Fuser%3Dx$/);
    await page.getByLabel('API token').fill('not-a-token-at-all-000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That token was not accepted.').waitFor();
  });

  test('the right token signs in and goes back to the page that asked', async () => {
    await page.getByLabel('API token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
    assert.match(page.url(), /\/kaudit\/alerts\?user=x$/);
    const cookies = await browser.context.cookies();
    const session = cookies.find((c) => c.name === 'kaudit_session');
    assert.equal(session?.httpOnly, true);
    assert.equal(session?.sameSite, 'Strict');
  });

  test('the address kaudit serve printed signs in once and leaves without the token', async () => {
    await browser.context.clearCookies();
    assert.equal(server.printedUrl, `${server.url}/?token=${encodeURIComponent(server.token)}`);
    await page.goto(server.printedUrl);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    assert.ok(!page.url().includes('token'), page.url());
  });

  test('the dashboard shows the alerts of the range by priority, top rules, users and namespaces', async () => {
    await page.goto(`${server.url}/?${EXAMPLE_RANGE}`);
    const total = server.exampleAlerts.length;
    await page.getByRole('heading', { name: `${total} alerts` }).waitFor();
    assert.equal((await page.locator('.chart canvas').count()) > 0, true);
    // The legend names each priority present (colour is not the only signal).
    for (const p of countBy(server.exampleAlerts, (a) => a.priority).keys()) {
      await page.locator('.u-legend').getByText(p).waitFor();
    }
    const topRules = page.locator('section[aria-labelledby="top-top-rules"] li');
    const rules = [...countBy(server.exampleAlerts, (a) => a.rule)].sort((a, b) => b[1] - a[1]);
    const [rule, count] = rules[0] as [string, number];
    assert.equal(await topRules.first().locator('.top-count').textContent(), String(count));
    assert.equal(await topRules.first().locator('.top-name').textContent(), rule);
    const users = countBy(server.exampleAlerts, (a) => userOf(a) ?? '');
    const topUser = [...users].filter(([u]) => u !== '').sort((a, b) => b[1] - a[1])[0];
    await page
      .locator('section[aria-labelledby="top-top-users"]')
      .getByText(topUser?.[0] ?? '?', { exact: true })
      .waitFor();
  });

  test('a top rule links to the alert list filtered on it, in the same range', async () => {
    const first = page.locator('section[aria-labelledby="top-top-rules"] li a').first();
    const rule = (await first.textContent()) ?? '';
    await first.click();
    await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
    const url = new URL(page.url());
    assert.deepEqual(url.searchParams.getAll('rule'), [rule]);
    assert.equal(url.searchParams.get('from'), '2026-03-02T10:00:00Z');
    const expected = server.exampleAlerts.filter((a) => a.rule === rule).length;
    await page.waitForFunction(
      (n) => document.querySelectorAll('table.alerts tbody tr').length === n,
      expected,
    );
  });

  test('every filter in the address reaches the API, and the form shows it', async () => {
    const params = new URLSearchParams(
      `${EXAMPLE_RANGE}&priority=Warning&rule=Shell+Into+Pod&rule=Namespace+Deleted` +
        '&source=k8s_audit&tag=T1609&cluster=prod&namespace=shop&user=kubernetes-admin' +
        '&verb=create&resource=pods%2Fexec&q=bash',
    );
    const req = page.waitForRequest((r) => /\/api\/v1\/alerts\?/.test(r.url()));
    await page.goto(`${server.url}/alerts?${params}`);
    const sent = new URL((await req).url()).searchParams;
    assert.equal(sent.get('from'), '2026-03-02T10:00:00.000Z');
    assert.equal(sent.get('to'), '2026-03-02T11:00:00.000Z');
    assert.deepEqual(sent.getAll('rule'), ['Shell Into Pod', 'Namespace Deleted']);
    for (const k of [
      'priority',
      'source',
      'tag',
      'cluster',
      'namespace',
      'user',
      'verb',
      'resource',
      'q',
    ]) {
      assert.equal(sent.get(k), params.get(k), k);
    }
    assert.equal(await page.getByLabel('Search').inputValue(), 'bash');
    assert.equal(await page.getByLabel('Minimum priority').inputValue(), 'Warning');
    assert.equal(await page.getByLabel('Resource').inputValue(), 'pods/exec');
    await page.locator('.chips').getByText('Namespace Deleted').waitFor();
  });

  test('every form control has a label', async () => {
    const unlabelled = await page.locator('input, select, textarea, button').evaluateAll((els) =>
      els
        .filter((e) => {
          const labelled =
            ((e as HTMLInputElement).labels?.length ?? 0) > 0 ||
            (e.getAttribute('aria-label') ?? '') !== '' ||
            (e.tagName === 'BUTTON' && (e.textContent ?? '').trim() !== '');
          return !labelled && (e as HTMLInputElement).type !== 'hidden';
        })
        .map((e) => e.outerHTML.slice(0, 80)),
    );
    assert.deepEqual(unlabelled, []);
  });

  test('the form filters the list and keeps the filter in the address', async () => {
    await page.goto(`${server.url}/alerts?${EXAMPLE_RANGE}`);
    await page.waitForFunction(
      (n) => document.querySelectorAll('table.alerts tbody tr').length === n,
      server.exampleAlerts.length,
    );
    await page.getByLabel('Minimum priority').selectOption('Warning');
    await page.waitForURL(/priority=Warning/);
    const warnOrWorse = server.exampleAlerts.filter((a) =>
      ['Emergency', 'Alert', 'Critical', 'Error', 'Warning'].includes(a.priority),
    ).length;
    await page.waitForFunction(
      (n) => document.querySelectorAll('table.alerts tbody tr').length === n,
      warnOrWorse,
    );
    await page.getByText('More filters').click();
    await page.getByLabel('Namespace').fill('shop');
    await page.getByLabel('Namespace').press('Enter');
    await page.waitForURL(/namespace=shop/);
    const inShop = server.exampleAlerts.filter(
      (a) =>
        (a.event?.objectRef as { namespace?: string } | undefined)?.namespace === 'shop' &&
        ['Emergency', 'Alert', 'Critical', 'Error', 'Warning'].includes(a.priority),
    ).length;
    await page.waitForFunction(
      (n) => document.querySelectorAll('table.alerts tbody tr').length === n,
      inShop,
    );
    // The address is the view: opened afresh it shows the same rows.
    const url = page.url();
    await page.goto('about:blank');
    await page.goto(url);
    await page.waitForFunction(
      (n) => document.querySelectorAll('table.alerts tbody tr').length === n,
      inShop,
    );
    assert.equal(await page.getByLabel('Namespace').inputValue(), 'shop');
  });

  test('the list pages through the cursor as the reader scrolls, newest first', async () => {
    const day = Date.parse('2026-03-01T00:00:00Z');
    const lines = Array.from({ length: 120 }, (_, i) =>
      liveLine(server.lines, new Date(day + i * 60_000), `bulk-${String(i).padStart(3, '0')}`),
    );
    const stored = await server.ingest(lines, 'bulk');
    assert.equal(stored.length, 120);
    await page.goto(
      `${server.url}/alerts?from=2026-03-01T00%3A00%3A00Z&to=2026-03-02T00%3A00%3A00Z`,
    );
    await page.waitForFunction(
      () => document.querySelectorAll('table.alerts tbody tr').length === 50,
    );
    // Newest first: the last line made is the first row.
    assert.match(
      (await page.locator('table.alerts tbody tr').first().textContent()) ?? '',
      /bulk-119/,
    );
    for (let i = 0; i < 10 && (await rowCount(page)) < 120; i++) {
      await page.locator('.list-end').scrollIntoViewIfNeeded();
      await page.waitForTimeout(300);
    }
    assert.equal(await rowCount(page), 120);
    await page.getByText('End of the list · 120 alerts').waitFor();
    assert.match(
      (await page.locator('table.alerts tbody tr').last().textContent()) ?? '',
      /bulk-000/,
    );
  });

  test('keyboard: j/k move, Enter opens, Esc returns to the list, / searches, ? helps', async () => {
    await page.goto(`${server.url}/alerts?${EXAMPLE_RANGE}`);
    await page.waitForFunction(() => document.querySelectorAll('table.alerts tbody tr').length > 2);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await page.keyboard.press('ArrowDown');
    const selected = page.locator('table.alerts tbody tr.selected');
    assert.equal(await selected.count(), 1);
    const id = await selected.getAttribute('data-id');
    assert.equal(await page.locator('table.alerts tbody tr').nth(1).getAttribute('data-id'), id);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/kaudit/alerts/${id}$`));
    await page.getByRole('heading', { name: 'Output', exact: true }).waitFor();
    await page.keyboard.press('Escape');
    await page.waitForURL(/\/kaudit\/alerts\?from=/);
    await page.waitForFunction(() => document.querySelectorAll('table.alerts tbody tr').length > 2);
    assert.equal(await page.locator('table.alerts tbody tr.selected').getAttribute('data-id'), id);
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'q');
    await page.keyboard.type('jk');
    assert.equal(await page.locator('#q').inputValue(), 'jk');
    await page.keyboard.press('Escape');
    await page.keyboard.press('?');
    await page.getByRole('heading', { name: 'Keyboard shortcuts' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: 'Keyboard shortcuts' }).waitFor({ state: 'hidden' });
  });

  test('the alert page shows output, fields, rule and the event as collapsible JSON', async () => {
    const target = server.exampleAlerts.find((a) => a.rule === 'Shell Into Pod');
    assert.ok(target);
    await page.goto(`${server.url}/alerts?${EXAMPLE_RANGE}&rule=Shell+Into+Pod`);
    await page.locator('table.alerts tbody tr a.row-link').first().click();
    await page.getByRole('heading', { name: 'Shell Into Pod', level: 1 }).waitFor();
    await page.locator('pre.output').getByText(target.message, { exact: false }).waitFor();
    const fields = page.locator('table.fields tbody tr');
    assert.equal(await fields.count(), Object.keys(target.outputFields).length);
    const rule = server.ruleset.rules.find((r) => r.name === 'Shell Into Pod');
    await page.getByText(rule?.desc.trim() ?? '?').waitFor();
    assert.equal(await page.locator('pre.condition').textContent(), rule?.compiledCondition);
    for (const t of rule?.tags ?? []) await page.locator('.tags').getByText(t).waitFor();
    // The event: the auditID is shown; collapse all hides it, expand all brings it back.
    const auditId = String(target.event?.auditID);
    const json = page.locator('.json');
    await json.getByText(JSON.stringify(auditId)).waitFor();
    await page.getByRole('button', { name: 'Collapse all' }).click();
    await json.getByText(JSON.stringify(auditId)).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Expand all' }).click();
    await json.getByText(JSON.stringify(auditId)).waitFor();
    await json.getByText('"groups"').waitFor();
    await json.getByText('"system:authenticated"').first().waitFor();
    // Copy JSON puts the whole event, pretty-printed, on the clipboard.
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByRole('button', { name: 'Copy JSON' }).click();
    await page.getByText('Copied', { exact: true }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(JSON.parse(copied).auditID, auditId);
    assert.ok(copied.includes('\n  "kind"'));
  });

  test('Secret data is shown redacted, with the note saying so', async () => {
    const secretRead = server.lines.find(
      (l) => l.includes('"shop-db-credentials"') && l.includes('"ResponseComplete"'),
    );
    assert.ok(secretRead);
    const e = JSON.parse(secretRead) as Record<string, unknown>;
    e.auditID = 'e2e-secret-0001';
    e.level = 'RequestResponse';
    e.responseObject = {
      kind: 'Secret',
      apiVersion: 'v1',
      data: { password: 'c2VjcmV0LXZhbHVlLTQy' },
    };
    const [alert] = await server.ingest([JSON.stringify(e)], 'secret');
    assert.ok(alert);
    await page.goto(`${server.url}/alerts?range=all&q=e2e-secret-0001`);
    await page.locator('table.alerts tbody tr a.row-link').first().click();
    await page.getByText('Secret values were removed before storage.').waitFor();
    await page.getByRole('button', { name: 'Expand all' }).click();
    await page.locator('.json').getByText('"<redacted>"').waitFor();
    assert.equal(await page.getByText('c2VjcmV0LXZhbHVlLTQy').count(), 0);
  });

  test('a new alert appears at the top of the list; scrolled down it waits behind a count', async () => {
    await page.goto(`${server.url}/alerts?range=15m`);
    await page.getByText('Live', { exact: true }).waitFor();
    await server.ingest([liveLine(server.lines, new Date(), 'live-pod-one')], 'live');
    await page
      .locator('table.alerts tbody tr')
      .first()
      .locator('.c-req')
      .getByText('live-pod-one')
      .waitFor();
    // Scrolled down (the page made tall enough to scroll), the next one is held back.
    await page.evaluate(() => {
      document.body.style.minHeight = '5000px';
      window.scrollTo(0, 2000);
    });
    await server.ingest([liveLine(server.lines, new Date(), 'live-pod-two')], 'live');
    await page.getByRole('button', { name: '1 new alert · show' }).click();
    await page
      .locator('table.alerts tbody tr')
      .first()
      .locator('.c-req')
      .getByText('live-pod-two')
      .waitFor();
    assert.equal(await page.evaluate(() => window.scrollY), 0);
    // Away on an alert page, the stream is closed; back on the list, what came meanwhile
    // waits behind the count.
    await page.locator('table.alerts tbody tr a.row-link').first().click();
    await page.getByRole('heading', { name: 'Audit event' }).waitFor();
    await server.ingest([liveLine(server.lines, new Date(), 'live-pod-three')], 'live');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: '1 new alert · show' }).click();
    await page
      .locator('table.alerts tbody tr')
      .first()
      .locator('.c-req')
      .getByText('live-pod-three')
      .waitFor();
  });

  test('markup planted in event fields is shown as text and never runs', async () => {
    await server.ingest(hostileLines(server.lines, new Date()), 'hostile');
    const pages = [`${server.url}/?range=15m`, `${server.url}/alerts?range=15m`];
    for (const url of pages) {
      await page.goto(url);
      await page.getByText(PLANTED.script).first().waitFor();
      assert.equal(await pwned(page), undefined, url);
    }
    await page.getByText(PLANTED.img).first().waitFor();
    for (const rule of ['Shell Into Pod', 'Privileged Container Requested']) {
      await page.goto(`${server.url}/alerts?range=15m&rule=${encodeURIComponent(rule)}`);
      await page.locator('table.alerts tbody tr a.row-link').first().click();
      await page.getByRole('heading', { name: rule, level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Expand all' }).click();
      await page.waitForTimeout(300);
      assert.equal(await pwned(page), undefined, rule);
      // The markup is on the page as text, in the output, the tables and the JSON.
      const text = (await page.locator('main').textContent()) ?? '';
      for (const p of rule === 'Shell Into Pod'
        ? [PLANTED.img, PLANTED.script, PLANTED.svg]
        : [PLANTED.script]) {
        assert.ok(text.includes(p), `${rule}: ${p}`);
      }
      // ... and never became elements or links.
      assert.equal(await page.locator('main img, main svg, main script').count(), 0);
      const hrefs = await page
        .locator('a[href]')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
      assert.ok(
        hrefs.every((h) => h === '#main' || h.startsWith('/kaudit/')),
        hrefs.join(' '),
      );
    }
    // The request body's planted annotations are there as JSON strings.
    await page.locator('.json').getByText(JSON.stringify(PLANTED.link)).waitFor();
  });

  test('export downloads CSV and NDJSON of the current filter', async () => {
    await page.goto(`${server.url}/alerts?${EXAMPLE_RANGE}&priority=Warning`);
    await page.waitForFunction(() => document.querySelectorAll('table.alerts tbody tr').length > 0);
    const rows = await rowCount(page);
    for (const [name, lines] of [
      ['CSV', rows + 1],
      ['NDJSON', rows],
    ] as const) {
      const download = page.waitForEvent('download');
      await page.getByRole('link', { name, exact: true }).click();
      const file = await (await download).path();
      const text = await readFile(file, 'utf8');
      const n = text.split('\n').filter((l) => l !== '').length;
      assert.equal(n, lines, name);
    }
  });

  test('the pages fit a phone (375x667) without sideways scrolling', async () => {
    await page.setViewportSize({ width: 375, height: 667 });
    try {
      for (const path of [`/?${EXAMPLE_RANGE}`, `/alerts?${EXAMPLE_RANGE}`]) {
        await page.goto(`${server.url}${path}`);
        await page.waitForLoadState('networkidle');
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        );
        assert.ok(overflow <= 0, `${path}: ${overflow}px too wide`);
      }
      await page.locator('table.alerts tbody tr a.row-link').first().click();
      await page.getByRole('heading', { name: 'Audit event' }).waitFor();
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      assert.ok(overflow <= 0, `alert page: ${overflow}px too wide`);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  test('the theme toggle switches to dark and is remembered', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    assert.equal(await page.locator('html').getAttribute('data-theme'), 'dark');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.reload();
    await page.getByRole('button', { name: 'Switch to light theme' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('data-theme'), 'dark');
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), bg);
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
  });

  test('signing out ends the session', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API token').waitFor();
    const status = await page.evaluate(async () => (await fetch('/kaudit/api/v1/whoami')).status);
    assert.equal(status, 401);
  });

  test('no page broke the CSP or logged an error', () => {
    assert.deepEqual(browser.problems, []);
  });
});
