import Database from 'better-sqlite3';
import type { Alert } from '../engine/index.ts';
import { type AlertRow, toAlertRow, toStoredAlert } from './alert-row.ts';
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
import { migrateSqlite } from './sqlite-schema.ts';
import type { AlertStore, InsertResult, StoredAlertWithEvent } from './store.ts';
import { StoreError } from './store.ts';
import {
  exportPages,
  keyCondition,
  pruneThresholds,
  validId,
  yieldToEventLoop,
} from './store-common.ts';

export interface SqliteStoreOptions {
  /** Database file (created when missing), or `:memory:`. */
  readonly file: string;
}

const SQLITE: SqlDialect = {
  param: (n) => `@p${n}`,
  hasTag: (p) => `EXISTS (SELECT 1 FROM json_each(alerts.tags) WHERE value = ${p})`,
  // LIKE is case-insensitive for ASCII letters only (SQLite has no Unicode case folding).
  contains: (column, p) => `${column} LIKE ${p} ESCAPE '\\'`,
};

const INSERT_SQL = `INSERT INTO alerts (time_ns, priority, rule, source, tags, hostname, cluster,
  output, message, output_fields, namespace, user_name, verb, resource, name, audit_id, stage,
  source_ip, user_agent, response_code, redacted, correlation)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT DO NOTHING`;

const STATEMENT_CACHE_MAX = 256;

/** Named parameters of better-sqlite3 from a positional list (`@p1` is params[0]). */
function named(params: readonly unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  params.forEach((v, i) => {
    out[`p${i + 1}`] = v;
  });
  return out;
}

/** The embedded store: one SQLite file in WAL mode. */
export function createSqliteStore(options: SqliteStoreOptions): AlertStore {
  const db = new Database(options.file);
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL: a commit survives a killed process; only a power cut can lose the last ones.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const version = migrateSqlite(db);
  const listeners = createListenerSet();
  let closed = false;

  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let s = statements.get(sql);
    if (s === undefined) {
      if (statements.size >= STATEMENT_CACHE_MAX) {
        statements.delete(statements.keys().next().value as string);
      }
      s = db.prepare(sql).safeIntegers(true);
      statements.set(sql, s);
    }
    return s;
  };
  const open = (): void => {
    if (closed) throw new StoreError('closed', 'the alert store is closed');
  };
  const where = (f: NormalFilter, extra: string[] = []) => {
    const w = buildWhere(f, SQLITE);
    return { sql: [w.sql, ...extra].join(' AND '), params: w.params };
  };

  const insertAlert = prepare(INSERT_SQL);
  const insertEvent = prepare('INSERT INTO alert_events (id, event) VALUES (?, ?)');
  const insertRows = db.transaction((rows: readonly AlertRow[]) => {
    const stored: { id: bigint; row: AlertRow }[] = [];
    for (const r of rows) {
      const res = insertAlert.run(
        r.timeNs,
        r.priority,
        r.rule,
        r.source,
        JSON.stringify(r.tags),
        r.hostname,
        r.cluster,
        r.output,
        r.message,
        r.outputFields,
        r.namespace,
        r.user,
        r.verb,
        r.resource,
        r.name,
        r.auditId,
        r.stage,
        r.sourceIp,
        r.userAgent,
        r.responseCode,
        r.redacted ? 1 : 0,
        r.correlation,
      );
      if (res.changes !== 1) continue;
      const id = BigInt(res.lastInsertRowid);
      if (r.event !== null) insertEvent.run(id, r.event);
      stored.push({ id, row: r });
    }
    return stored;
  });

  /** Deletes, in batches of `batch` rows, the alerts a WHERE clause selects. */
  const deleteWhere = async (sql: string, params: unknown[], batch: number): Promise<number> => {
    const stmt = prepare(
      `DELETE FROM alerts WHERE id IN (SELECT id FROM alerts WHERE ${sql} LIMIT ${batch})`,
    );
    let total = 0;
    for (;;) {
      open();
      const n = stmt.run(named(params)).changes;
      total += n;
      if (n < batch) return total;
      // Between batches the event loop runs, so inserts wait for one batch at most.
      await yieldToEventLoop();
    }
  };

  const store: AlertStore = {
    kind: 'sqlite',
    async insert(alerts: readonly Alert[]): Promise<InsertResult> {
      open();
      const rows = alerts.map(toAlertRow);
      const stored = insertRows.immediate(rows);
      if (listeners.size > 0) listeners.emit(stored.map((s) => toStoredAlert(String(s.id), s.row)));
      return { inserted: stored.length, duplicates: rows.length - stored.length };
    },
    async list(filter, page = {}) {
      open();
      const limit = pageLimit(page.limit);
      const w = where(normalizeFilter(filter));
      if (page.cursor !== undefined) {
        const c = decodeCursor(page.cursor);
        w.params.push(c.timeNs, c.id);
        const n = w.params.length;
        w.sql += ` AND (time_ns, id) < (@p${n - 1}, @p${n})`;
      }
      const rows = prepare(
        `SELECT ${ALERT_COLUMNS} FROM alerts WHERE ${w.sql} ORDER BY time_ns DESC, id DESC LIMIT ${limit + 1}`,
      ).all(named(w.params)) as DbAlertRow[];
      return toPage(rows, limit);
    },
    async get(id): Promise<StoredAlertWithEvent | undefined> {
      open();
      if (!validId(id)) return undefined;
      const row = prepare(
        `SELECT ${ALERT_COLUMNS}, event FROM alerts LEFT JOIN alert_events USING (id) WHERE id = ?`,
      ).get(BigInt(id)) as (DbAlertRow & { event: string | null }) | undefined;
      if (row === undefined) return undefined;
      return {
        ...fromDbRow(row),
        event: row.event === null ? null : (JSON.parse(row.event) as object),
      };
    },
    async counts(filter, options) {
      open();
      const f = normalizeFilter(filter);
      let span = { min: null as bigint | null, max: null as bigint | null };
      if (f.fromNs === undefined || f.toNs === undefined) {
        const w = where(f);
        span = prepare(
          `SELECT min(time_ns) AS min, max(time_ns) AS max FROM alerts WHERE ${w.sql}`,
        ).get(named(w.params)) as typeof span;
      }
      const plan = planCounts(f, options, span);
      const w = where(plan.filter);
      const c = plan.column;
      const totals = prepare(
        `SELECT ${c} AS key, count(*) AS count FROM alerts WHERE ${w.sql}
         GROUP BY ${c} ORDER BY count DESC, key NULLS LAST LIMIT ${plan.limit}`,
      ).all(named(w.params)) as { key: unknown; count: bigint }[];
      const params = [...w.params];
      const add = (v: unknown): string => {
        params.push(v);
        return SQLITE.param(params.length);
      };
      const bucket = add(plan.bucketNs);
      const keyTest = keyCondition(c, totals, add);
      const cells =
        keyTest === undefined
          ? []
          : (prepare(
              `SELECT ${c} AS key, time_ns / ${bucket} AS b, count(*) AS count FROM alerts
               WHERE ${w.sql} AND ${keyTest} GROUP BY 1, 2`,
            ).all(named(params)) as { key: unknown; b: bigint; count: bigint }[]);
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
      const count = () =>
        Number((prepare('SELECT count(*) AS n FROM alerts').get() as { n: bigint }).n);
      const bytes = () => {
        const pages = db.pragma('page_count', { simple: true }) as number;
        const free = db.pragma('freelist_count', { simple: true }) as number;
        return (pages - free) * (db.pragma('page_size', { simple: true }) as number);
      };
      let deleted = 0;
      for (const t of await pruneThresholds(
        options,
        { count, bytes },
        (offset) =>
          prepare(
            `SELECT time_ns, id FROM alerts ORDER BY time_ns DESC, id DESC LIMIT 1 OFFSET ${offset}`,
          ).get() as { time_ns: bigint; id: bigint } | undefined,
      )) {
        const params = t.id === undefined ? [t.timeNs] : [t.timeNs, t.id];
        const sql = t.id === undefined ? 'time_ns < @p1' : '(time_ns, id) <= (@p1, @p2)';
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
      db.close();
    },
    async [Symbol.asyncDispose]() {
      await store.close();
    },
  };
  return store;
}
