import pg from 'pg';
import type { Alert } from '../engine/index.ts';
import { toAlertRow } from './alert-row.ts';
import { assembleCounts, planCounts } from './counts.ts';
import {
  ALERT_COLUMNS,
  type DbAlertRow,
  decodeCursor,
  fromDbRow,
  pageLimit,
  toPage,
} from './db-row.ts';
import { buildWhere, type NormalFilter, normalizeFilter, type SqlDialect } from './filter.ts';
import { createListenerSet } from './listeners.ts';
import { createPgNotifier } from './postgres-notify.ts';
import { migratePostgres, SEARCH_DOC } from './postgres-schema.ts';
import { type AlertStore, type InsertResult, StoreError } from './store.ts';
import {
  exportPages,
  keyCondition,
  pruneThresholds,
  validId,
  yieldToEventLoop,
} from './store-common.ts';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database?...` */
  readonly url: string;
  /** A schema to keep the tables in (created when missing); default: the search_path's. */
  readonly schema?: string;
  /** Connections in the pool (default 4). */
  readonly poolSize?: number;
}

const POSTGRES: SqlDialect = {
  param: (n) => `$${n}`,
  hasTag: (p) => `tags @> ARRAY[${p}]::text[]`,
  contains: (column, p) => `${column} ILIKE ${p}`,
  // The whole searched text first: the trigram index (migration 2) answers it.
  textSearch: (p, exact) => `(${SEARCH_DOC}) ILIKE ${p} AND ${exact}`,
};

/**
 * Settings of every connection. JIT off: the planner's costs at millions of rows made
 * PostgreSQL compile counts first, which took longer than the query saved (the counts at
 * 10 million alerts in docs/store.md).
 */
const SESSION_OPTIONS = '-c jit=off';

/**
 * The URL with `more` added to its `options` parameter: pg lets the URL's parameters
 * override the pool config, so options given apart would be lost when the URL has some.
 */
export function withConnectionOptions(url: string, more: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  const given = u.searchParams.get('options');
  u.searchParams.set('options', given ? `${given} ${more}` : more);
  return u.href;
}

const COLUMNS =
  'time_ns, priority, rule, source, tags, hostname, cluster, output, message, output_fields, ' +
  'namespace, user_name, verb, resource, name, audit_id, stage, source_ip, user_agent, ' +
  'response_code, redacted, correlation';

// One statement: ids drawn first (so events can follow their alert), duplicates skipped by
// the dedup index, events stored for the rows that went in. `u` is referenced twice, so
// PostgreSQL materialises it and nextval runs once per row.
const INSERT_SQL = `WITH u AS MATERIALIZED (
  SELECT nextval('alerts_id_seq') AS id, u.* FROM unnest(
    $1::bigint[], $2::int2[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
    $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],
    $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::int4[], $21::bool[],
    $22::text[], $23::text[]) AS u(${COLUMNS}, event)
), ins AS (
  INSERT INTO alerts (id, ${COLUMNS})
  SELECT id, time_ns, priority, rule, source, ARRAY(SELECT json_array_elements_text(tags::json)),
    hostname, cluster, output, message, output_fields, namespace, user_name, verb, resource, name,
    audit_id, stage, source_ip, user_agent, response_code, redacted, correlation FROM u
  ON CONFLICT DO NOTHING RETURNING id
), ev AS (
  INSERT INTO alert_events (id, event)
  SELECT u.id, u.event FROM u JOIN ins ON ins.id = u.id WHERE u.event IS NOT NULL
)
SELECT id FROM ins ORDER BY id`;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The team store: PostgreSQL, with LISTEN/NOTIFY so every replica sees every alert. */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<AlertStore> {
  const schema = options.schema;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new StoreError(
      'bad_spec',
      `schema: expected a lower-case SQL name, got ${JSON.stringify(schema)}`,
    );
  }
  const config: pg.PoolConfig = {
    connectionString: withConnectionOptions(
      options.url,
      schema === undefined ? SESSION_OPTIONS : `${SESSION_OPTIONS} -c search_path=${schema}`,
    ),
    max: options.poolSize ?? 4,
  };
  const pool = new pg.Pool(config);
  // An idle client that loses its server emits 'error' on the pool: the next query reconnects.
  pool.on('error', () => {});
  let version: number;
  const setup = await pool.connect();
  try {
    if (schema !== undefined) await setup.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    version = await migratePostgres(setup);
  } catch (err) {
    setup.release();
    await pool.end();
    throw err;
  }
  setup.release();

  const channel = `kaudit_alerts${schema === undefined ? '' : `_${schema}`}`;
  let closed = false;
  const open = (): void => {
    if (closed) throw new StoreError('closed', 'the alert store is closed');
  };
  const fetchByIds = async (ids: readonly string[]) => {
    const res = await pool.query<DbAlertRow>(
      `SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = ANY($1::bigint[]) ORDER BY id`,
      [ids],
    );
    return res.rows.map(fromDbRow);
  };
  const notifier = createPgNotifier(config, channel, fetchByIds);
  const listeners = createListenerSet((size) => {
    if (size > 0) notifier.start(listeners);
  });
  const where = (f: NormalFilter, params: unknown[] = []) => buildWhere(f, POSTGRES, params);
  const query = async <R extends pg.QueryResultRow>(sql: string, params: unknown[]) => {
    open();
    return (await pool.query<R>(sql, params.map(pgValue))).rows;
  };

  const deleteWhere = async (sql: string, params: unknown[], batch: number): Promise<number> => {
    let total = 0;
    for (;;) {
      const res = await pool.query(
        `DELETE FROM alerts WHERE id IN (SELECT id FROM alerts WHERE ${sql} LIMIT ${batch})`,
        params.map(pgValue),
      );
      const n = res.rowCount ?? 0;
      total += n;
      if (n < batch) return total;
      await yieldToEventLoop();
    }
  };

  const store: AlertStore = {
    kind: 'postgres',
    async insert(alerts: readonly Alert[]): Promise<InsertResult> {
      open();
      if (alerts.length === 0) return { inserted: 0, duplicates: 0 };
      const rows = alerts.map(toAlertRow);
      const col = <T>(f: (r: (typeof rows)[number]) => T) => rows.map(f);
      const params = [
        col((r) => r.timeNs.toString()),
        col((r) => r.priority),
        col((r) => r.rule),
        col((r) => r.source),
        col((r) => JSON.stringify(r.tags)),
        col((r) => r.hostname),
        col((r) => r.cluster),
        col((r) => r.output),
        col((r) => r.message),
        col((r) => r.outputFields),
        col((r) => r.namespace),
        col((r) => r.user),
        col((r) => r.verb),
        col((r) => r.resource),
        col((r) => r.name),
        col((r) => r.auditId),
        col((r) => r.stage),
        col((r) => r.sourceIp),
        col((r) => r.userAgent),
        col((r) => r.responseCode),
        col((r) => r.redacted),
        col((r) => r.correlation),
        col((r) => r.event),
      ];
      // A subscriber of this process must see this insert: LISTEN first.
      await notifier.ready();
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const res = await client.query<{ id: string }>(INSERT_SQL, params);
        const ids = res.rows.map((r) => r.id);
        await notifier.notify(client, ids);
        await client.query('COMMIT');
        return { inserted: ids.length, duplicates: rows.length - ids.length };
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async list(filter, page = {}) {
      const limit = pageLimit(page.limit);
      const w = where(normalizeFilter(filter));
      let sql = w.sql;
      if (page.cursor !== undefined) {
        const c = decodeCursor(page.cursor);
        w.params.push(c.timeNs.toString(), c.id.toString());
        const n = w.params.length;
        sql += ` AND (time_ns, id) < ($${n - 1}::bigint, $${n}::bigint)`;
      }
      // The page's ids first: a filter on the time index's columns (priority, rule,
      // namespace, user) is read from that index alone, and only the page's rows are read.
      const rows = await query<DbAlertRow>(
        `SELECT ${ALERT_COLUMNS} FROM alerts WHERE id IN (
           SELECT id FROM alerts WHERE ${sql} ORDER BY time_ns DESC, id DESC LIMIT ${limit + 1}
         ) ORDER BY time_ns DESC, id DESC`,
        w.params,
      );
      return toPage(rows, limit);
    },
    async get(id) {
      open();
      if (!validId(id)) return undefined;
      const rows = await query<DbAlertRow & { event: string | null }>(
        `SELECT ${ALERT_COLUMNS}, event FROM alerts LEFT JOIN alert_events USING (id) WHERE id = $1`,
        [id],
      );
      const row = rows[0];
      if (row === undefined) return undefined;
      return {
        ...fromDbRow(row),
        event: row.event === null ? null : (JSON.parse(row.event) as object),
      };
    },
    async counts(filter, options) {
      const f = normalizeFilter(filter);
      let span: { min: bigint | null; max: bigint | null } = { min: null, max: null };
      if (f.fromNs === undefined || f.toNs === undefined) {
        const w = where(f, []);
        const r = (
          await query<{ min: string | null; max: string | null }>(
            `SELECT min(time_ns) AS min, max(time_ns) AS max FROM alerts WHERE ${w.sql}`,
            w.params,
          )
        )[0];
        span = {
          min: r?.min == null ? null : BigInt(r.min),
          max: r?.max == null ? null : BigInt(r.max),
        };
      }
      const plan = planCounts(f, options, span);
      const c = plan.column;
      const w = where(plan.filter);
      const totals = await query<{ key: unknown; count: string }>(
        `SELECT ${c} AS key, count(*) AS count FROM alerts WHERE ${w.sql}
         GROUP BY ${c} ORDER BY count DESC, key NULLS LAST LIMIT ${plan.limit}`,
        w.params,
      );
      const params = [...w.params];
      const add = (v: unknown): string => {
        params.push(v);
        return POSTGRES.param(params.length);
      };
      const bucket = add(plan.bucketNs);
      const keyTest = keyCondition(c, totals, add);
      const cells =
        keyTest === undefined
          ? []
          : await query<{ key: unknown; b: string; count: string }>(
              `SELECT ${c} AS key, time_ns / ${bucket}::bigint AS b, count(*) AS count FROM alerts
               WHERE ${w.sql} AND ${keyTest} GROUP BY 1, 2`,
              params,
            );
      return assembleCounts(options.by, plan, totals, cells);
    },
    export(filter) {
      return exportPages(store, filter);
    },
    async delete(filter) {
      open();
      const w = where(normalizeFilter(filter));
      return deleteWhere(w.sql, w.params, 5000);
    },
    async prune(options) {
      open();
      const thresholds = await pruneThresholds(
        options,
        {
          count: async () =>
            Number((await query<{ n: string }>('SELECT count(*) AS n FROM alerts', []))[0]?.n ?? 0),
          bytes: async () =>
            Number(
              (
                await query<{ b: string }>(
                  "SELECT pg_total_relation_size('alerts') + pg_total_relation_size('alert_events') AS b",
                  [],
                )
              )[0]?.b ?? 0,
            ),
        },
        async (offset) =>
          (
            await query<{ time_ns: string; id: string }>(
              `SELECT time_ns, id FROM alerts ORDER BY time_ns DESC, id DESC LIMIT 1 OFFSET ${offset}`,
              [],
            )
          )[0],
      );
      let deleted = 0;
      for (const t of thresholds) {
        const sql =
          t.id === undefined ? 'time_ns < $1' : '(time_ns, id) <= ($1::bigint, $2::bigint)';
        const params = t.id === undefined ? [String(t.timeNs)] : [String(t.timeNs), String(t.id)];
        deleted += await deleteWhere(sql, params, options.batchSize ?? 5000);
      }
      return deleted;
    },
    subscribe(listener) {
      return listeners.add(listener);
    },
    async schemaVersion() {
      return version;
    },
    async close() {
      if (closed) return;
      closed = true;
      await notifier.stop();
      await pool.end();
    },
    async [Symbol.asyncDispose]() {
      await store.close();
    },
  };
  return store;
}

/** pg sends a bigint parameter as text itself, but not inside arrays: one spelling for all. */
function pgValue(v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}
