// Debian's chromium driven by playwright-core: no browser download, a fresh profile each run.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.KAUDIT_CHROMIUM ?? '/usr/bin/chromium';

/** Skip reason when the browser is missing (scripts/ensure-chromium.sh installs it; CI runs it). */
export const CHROMIUM_SKIP = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} not found: run scripts/ensure-chromium.sh (apt-get install chromium); browser tests skipped`;

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console messages of type error, and CSP reports, seen so far. */
  readonly problems: string[];
  close(): Promise<void>;
}

export async function launchBrowser(
  opts: { readonly width?: number; readonly height?: number } = {},
): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'kaudit-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 },
    colorScheme: 'light',
    acceptDownloads: true,
    timezoneId: 'UTC',
    locale: 'en-US',
  });
  context.setDefaultTimeout(10_000);
  // CSP violations become console errors, which `problems` collects.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
    });
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  const watch = (p: Page) => {
    p.on('console', (m) => {
      // A 401 from whoami before signing in is expected; Chromium logs it as an error.
      if (m.type() === 'error' && !/status of 401/.test(m.text())) problems.push(m.text());
    });
    p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  };
  watch(page);
  context.on('page', watch);
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
