import pg from 'pg';
import { auditEvent } from './events.ts';
import { freshSchema, postgresUrl } from './postgres.ts';

/**
 * A fresh schema in the tests' PostgreSQL and a URL whose connections use it, for
 * processes that take only a URL (`kaudit detect --store`, `kaudit serve --store`).
 */
export async function freshStoreUrl(): Promise<string> {
  const base = await postgresUrl();
  const schema = freshSchema();
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    await c.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await c.end();
  }
  const u = new URL(base);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.href;
}

/** Runs one query against the store URL. */
export async function queryStore<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/** A rule that fires on every event, and a threshold rule over `burst-user`'s events. */
export const BUS_RULES = `- rule: Every event
  desc: fires on every event that has an auditID
  condition: ka.auditid exists
  output: "seen id=%ka.auditid cluster=%ka.cluster.name"
  priority: NOTICE
  source: k8s_audit
- rule: Burst
  desc: three events of burst-user within a minute
  correlate:
    type: threshold
    count: 3
    within: 1m
    by: [ka.user.name]
    condition: ka.user.name = "burst-user"
  output: "burst by %ka.user.name (%correlation.count)"
  priority: WARNING
  source: k8s_audit
`;

const BASE_MS = Date.parse('2026-11-02T10:00:00Z');

/**
 * Event `i` of a run: auditID `<prefix>-<i>`, event time 10 ms after event i-1 (so the
 * correlation clock moves as the run goes on), by `burst-user` when `burst` says so.
 */
export function runEvent(prefix: string, i: number, burst = false): Record<string, unknown> {
  const t = new Date(BASE_MS + i * 10).toISOString().replace('Z', '000Z');
  return auditEvent({
    auditID: `${prefix}-${i}`,
    stageTimestamp: t,
    requestReceivedTimestamp: t,
    ...(burst ? { user: { username: 'burst-user', groups: ['system:authenticated'] } } : {}),
  });
}
