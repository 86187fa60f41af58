// Writes the screenshots of docs/ui.md: the dashboard, the alert list and an alert page,
// light and dark, at 1280x800 and 375x667, from a real `kaudit serve` fed examples/audit.log
// through its audit webhook, as the browser tests use it. Run: npm run screenshots
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from './helpers/alerts.ts';
import { launchBrowser } from './helpers/browser.ts';
import { startUiServer } from './helpers/server.ts';

const OUT = join(ROOT, 'docs', 'screenshots');
const RANGE = 'from=2026-03-02T10%3A00%3A00Z&to=2026-03-02T11%3A00%3A00Z';
const SIZES = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 375, height: 667 },
} as const;

const server = await startUiServer();
const browser = await launchBrowser();
try {
  await mkdir(OUT, { recursive: true });
  const { page } = browser;
  await page.goto(server.printedUrl);
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await page.goto(`${server.url}/alerts?${RANGE}&rule=Privileged+Container+Requested`);
  await page.locator('table.alerts tbody tr a.row-link').first().click();
  await page.getByRole('heading', { name: 'Audit event' }).waitFor();
  const alertPath = new URL(page.url()).pathname;
  const shots: readonly [string, string][] = [
    ['dashboard', `/?${RANGE}`],
    ['alerts', `/alerts?${RANGE}`],
    ['alert', alertPath.replace('/kaudit', '')],
  ];
  for (const [size, viewport] of Object.entries(SIZES)) {
    await page.setViewportSize(viewport);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [name, path] of shots) {
        await page.goto(`${server.url}${path}`);
        await page.waitForLoadState('networkidle');
        await page.locator('main h1').first().waitFor();
        // Let the chart's ResizeObserver settle before the picture.
        await page.waitForTimeout(300);
        const file = join(OUT, `${name}-${size}-${scheme}.png`);
        await page.screenshot({ path: file });
        console.log(file);
      }
    }
  }
  if (browser.problems.length > 0) throw new Error(browser.problems.join('\n'));
} finally {
  await browser.close();
  await server.close();
}
