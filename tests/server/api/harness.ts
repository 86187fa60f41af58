import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ApiRule } from '../../../src/server/api/index.ts';
import { type AlertsApiOptions, registerAlertsApi } from '../../../src/server/api/index.ts';
import { type AlertStore, openAlertStore } from '../../../src/store/index.ts';

export const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
export const READ_TOKEN = 'read-token-0123456789abcdef';

export const RULES: readonly ApiRule[] = [
  {
    name: 'Create Pod',
    priority: 'Warning',
    source: 'k8s_audit',
    tags: ['k8s'],
    description: 'A pod was created',
    condition: 'ka.verb = create and ka.target.resource = pods',
    enabled: true,
    defined: 'rules/test.yaml:3:3',
  },
];

export interface ApiServer {
  /** `http://127.0.0.1:PORT` plus the base path. */
  readonly url: string;
  readonly origin: string;
  readonly store: AlertStore;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

/** A real server on loopback with a real SQLite store in a temporary directory. */
export async function startApi(
  over: Partial<Omit<AlertsApiOptions, 'store'>> = {},
  beforeRegister?: (app: FastifyInstance) => void,
): Promise<ApiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'kaudit-api-'));
  const store = await openAlertStore(dir);
  const app = Fastify({ logger: false });
  beforeRegister?.(app);
  await registerAlertsApi(app, {
    store,
    rules: () => RULES,
    auth: {
      tokens: [
        { token: ADMIN_TOKEN, role: 'admin' },
        { token: READ_TOKEN, role: 'read' },
      ],
      secret: randomBytes(32),
    },
    ...over,
  });
  const origin = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    origin,
    url: `${origin}${over.basePath ?? ''}`,
    store,
    app,
    async close() {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** GET/POST/DELETE with a bearer token (admin by default); the body parsed as JSON. */
export async function call(
  s: ApiServer,
  path: string,
  init: RequestInit & { token?: string | null } = {},
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies field by field
): Promise<{ status: number; body: any; headers: Headers }> {
  const { token = ADMIN_TOKEN, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (token !== null) headers.set('authorization', `Bearer ${token}`);
  const res = await fetch(`${s.url}${path}`, { ...rest, headers, redirect: 'manual' });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (CSV, NDJSON, HTML): the text.
  }
  return { status: res.status, body, headers: res.headers };
}
