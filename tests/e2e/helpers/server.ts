// A real kaudit web server for the browser tests, until `kaudit serve` mounts the same
// parts: fastify on loopback with the alerts API and auth, the UI plugin, and a real
// SQLite store filled with what the engine finds in examples/audit.log.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Alert } from '../../../src/engine/index.ts';
import { describeRules, registerAlertsApi } from '../../../src/server/api/index.ts';
import { uiPlugin } from '../../../src/server/ui/index.ts';
import { type AlertStore, openAlertStore } from '../../../src/store/index.ts';
import { loadDefaultRuleset, type Ruleset, readExampleLines, scanLines } from './alerts.ts';

export const ADMIN_TOKEN = 'e2e-admin-token-0123456789';
export const BASE_PATH = '/kaudit';

export interface UiServer {
  /** Origin plus base path: `http://127.0.0.1:PORT/kaudit`. */
  readonly url: string;
  readonly store: AlertStore;
  readonly ruleset: Ruleset;
  /** The example log's lines, for making more events from. */
  readonly lines: readonly string[];
  /** The alerts the example log gave, as stored at start. */
  readonly exampleAlerts: readonly Alert[];
  /** Scans lines and stores their alerts (live subscribers see them); returns them. */
  ingest(lines: readonly string[], origin: string): Promise<Alert[]>;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

export async function startUiServer(): Promise<UiServer> {
  const dir = await mkdtemp(join(tmpdir(), 'kaudit-e2e-'));
  const store = await openAlertStore(dir);
  const ruleset = await loadDefaultRuleset();
  const lines = await readExampleLines();
  const exampleAlerts = scanLines(ruleset.detector, lines, 'examples/audit.log');
  await store.insert(exampleAlerts);

  const app = Fastify({ logger: false });
  const apiRules = describeRules(ruleset.rules);
  await registerAlertsApi(app, {
    store,
    basePath: BASE_PATH,
    rules: () => apiRules,
    auth: { tokens: [{ token: ADMIN_TOKEN, role: 'admin' }], secret: randomBytes(32) },
    stream: { keepAliveMs: 1000 },
  });
  await app.register(uiPlugin, { basePath: BASE_PATH });
  const origin = await app.listen({ host: '127.0.0.1', port: 0 });

  return {
    url: `${origin}${BASE_PATH}`,
    store,
    ruleset,
    lines,
    exampleAlerts,
    app,
    async ingest(more, from) {
      const alerts = scanLines(ruleset.detector, more, from);
      await store.insert(alerts);
      return alerts;
    },
    async close() {
      await app.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
