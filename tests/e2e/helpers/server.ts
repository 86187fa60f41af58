// A real `kaudit serve` for the browser tests: the process users run (bin/kaudit, the
// built bundle), listening on loopback with its spool and SQLite alert store in a fresh
// data directory and the UI under a base path. Events reach it as they reach it from
// kube-apiserver: EventList batches POSTed to the audit webhook with a bearer token. The
// browser signs in with the admin token the server made and printed, as a user would.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert } from '../../../src/engine/index.ts';
import { eventList, type ServeProcess, startServe } from '../../helpers/serve.ts';
import { loadDefaultRuleset, type Ruleset, readExampleLines, scanLines } from './alerts.ts';

export const BASE_PATH = '/kaudit';
/** The webhook's bearer token (what the apiserver's webhook kubeconfig carries). */
const WEBHOOK_TOKEN = 'e2e-webhook-token-0123456789';
/** Events per POST: the apiserver's batch backend sends up to 400 by default. */
const BATCH = 400;
const STORED_TIMEOUT_MS = 30_000;

export interface UiServer {
  /** Origin plus base path: `http://127.0.0.1:PORT/kaudit`. */
  readonly url: string;
  /** The admin token `kaudit serve` made at start and printed in its URL. */
  readonly token: string;
  /** The URL the server printed (`…/kaudit/?token=…`). */
  readonly printedUrl: string;
  /** The rules the server runs (the built-in ones), loaded here to say what to expect. */
  readonly ruleset: Ruleset;
  /** The example log's lines, for making more events from. */
  readonly lines: readonly string[];
  /** The alerts the engine finds in the example log, which the server stored at start. */
  readonly exampleAlerts: readonly Alert[];
  /**
   * Posts lines to the webhook as EventList batches and waits until the store holds
   * their alerts (the ones the engine finds in them here); returns those alerts.
   */
  ingest(lines: readonly string[], origin: string): Promise<Alert[]>;
  readonly process: ServeProcess;
  close(): Promise<void>;
}

/** Waits for `kaudit serve` to print the UI's address with its token. */
async function printedUiUrl(serve: ServeProcess): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const m = /kaudit UI and API: (\S+)/.exec(serve.stderr());
    if (m !== null) return m[1] as string;
    if (Date.now() > deadline) throw new Error(`no UI address printed:\n${serve.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startUiServer(): Promise<UiServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kaudit-e2e-'));
  const tokenFile = join(dataDir, 'webhook-token');
  writeFileSync(tokenFile, `${WEBHOOK_TOKEN}\n`, { mode: 0o600 });
  // Alerts of every matching rule, as the expectations below are computed. The example
  // log is from March 2026 and the store keeps 30 days by default, pruned every 30 s: the
  // tests' alerts would vanish half a minute in.
  const serve = await startServe(
    [
      '--base-path',
      BASE_PATH,
      '--rule-matching',
      'all',
      '--token-file',
      tokenFile,
      '--store-retention',
      '36500d',
    ],
    { dataDir: join(dataDir, 'data') },
  );
  try {
    const printedUrl = await printedUiUrl(serve);
    const token = new URL(printedUrl).searchParams.get('token') ?? '';
    if (token === '') throw new Error(`the printed URL has no token: ${printedUrl}`);
    const origin = `http://127.0.0.1:${serve.port}`;
    const api = async (path: string): Promise<unknown> => {
      const r = await fetch(`${origin}${BASE_PATH}/api/v1/${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!r.ok) throw new Error(`GET ${path}: ${r.status} ${await r.text()}`);
      return r.json();
    };
    const storedCount = async (): Promise<number> => {
      const c = (await api('alerts/counts?by=priority')) as { totals: { count: number }[] };
      return c.totals.reduce((n, t) => n + t.count, 0);
    };

    const ruleset = await loadDefaultRuleset();
    const lines = await readExampleLines();
    const ingest = async (more: readonly string[], from: string): Promise<Alert[]> => {
      const expected = scanLines(ruleset.detector, more, from);
      const before = await storedCount();
      for (let i = 0; i < more.length; i += BATCH) {
        const items = more.slice(i, i + BATCH).map((l) => JSON.parse(l) as unknown);
        const r = await fetch(`${origin}/k8s-audit`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${WEBHOOK_TOKEN}` },
          body: eventList(items),
        });
        if (r.status !== 200) throw new Error(`webhook: ${r.status} ${await r.text()}`);
      }
      // The webhook answers once the batch is spooled; detection and the store follow.
      const deadline = Date.now() + STORED_TIMEOUT_MS;
      let now = before;
      while ((now = await storedCount()) < before + expected.length) {
        if (Date.now() > deadline) {
          throw new Error(`the store holds ${now - before} of ${expected.length} new alerts`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      if (now !== before + expected.length) {
        throw new Error(`the store took ${now - before} alerts, ${expected.length} expected`);
      }
      return expected;
    };
    const exampleAlerts = await ingest(lines, 'examples/audit.log');

    return {
      url: `${origin}${BASE_PATH}`,
      token,
      printedUrl,
      ruleset,
      lines,
      exampleAlerts,
      ingest,
      process: serve,
      async close() {
        const code = await serve.stop();
        rmSync(dataDir, { recursive: true, force: true });
        if (code !== 0) throw new Error(`kaudit serve exited with ${code}:\n${serve.stderr()}`);
      },
    };
  } catch (err) {
    await serve.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}
