import type pg from 'pg';
import { StoreError } from './store.ts';

/**
 * The text that free-text search tests first, through the trigram index of migration 2:
 * every searched column in one expression (a column holding the needle makes it hold the
 * needle; the exact test per column follows). The index is built on this very text:
 * changing it needs a new migration.
 */
export const SEARCH_DOC =
  "output || ' ' || rule || ' ' || coalesce(namespace, '') || ' ' || coalesce(user_name, '') || ' ' || " +
  "coalesce(name, '') || ' ' || coalesce(resource, '') || ' ' || coalesce(verb, '') || ' ' || " +
  "coalesce(cluster, '') || ' ' || coalesce(source_ip, '') || ' ' || coalesce(user_agent, '') || ' ' || " +
  "coalesce(audit_id, '')";

/**
 * PostgreSQL schema migrations, applied in order, each in one transaction under an
 * advisory lock so that replicas starting together migrate once. Never edit a shipped
 * entry: add the next version.
 *
 * Same layout as the SQLite schema (sqlite-schema.ts): events in their own table, every
 * filter index ending in (time_ns, id), the newest-first order of a page. `tags` is a
 * text[] with a GIN index for the tag filter.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `CREATE TABLE alerts (
    id BIGSERIAL PRIMARY KEY,
    time_ns BIGINT NOT NULL,
    priority SMALLINT NOT NULL,
    rule TEXT NOT NULL,
    source TEXT NOT NULL,
    tags TEXT[] NOT NULL,
    hostname TEXT NOT NULL,
    cluster TEXT,
    output TEXT NOT NULL,
    message TEXT NOT NULL,
    output_fields TEXT NOT NULL,
    namespace TEXT,
    user_name TEXT,
    verb TEXT,
    resource TEXT,
    name TEXT,
    audit_id TEXT,
    stage TEXT,
    source_ip TEXT,
    user_agent TEXT,
    response_code INTEGER,
    redacted BOOLEAN NOT NULL DEFAULT FALSE
  );
  CREATE TABLE alert_events (
    id BIGINT PRIMARY KEY REFERENCES alerts (id) ON DELETE CASCADE,
    event TEXT NOT NULL
  );
  CREATE INDEX alerts_time ON alerts (time_ns, id);
  CREATE UNIQUE INDEX alerts_dedup ON alerts (audit_id, coalesce(stage, ''), rule)
    WHERE audit_id IS NOT NULL;
  CREATE INDEX alerts_rule_time ON alerts (rule, time_ns, id);
  CREATE INDEX alerts_priority_time ON alerts (priority, time_ns, id);
  CREATE INDEX alerts_namespace_time ON alerts (namespace, time_ns, id);
  CREATE INDEX alerts_user_time ON alerts (user_name, time_ns, id);
  CREATE INDEX alerts_tags ON alerts USING gin (tags);`,
  // 2: counts and the id pass of a list read the time index alone (an index-only scan of
  // the range) instead of a whole (key, time) index or the table. (priority, time) goes:
  // the filter is a minimum priority, a range, so that index never gave time order, and
  // the planner used it to read every entry of a priority range for counts. Free text has a trigram
  // index over the searched columns when pg_trgm can be created (a trusted extension since
  // PostgreSQL 13: the database owner may create it), and works without it, only slower.
  `CREATE INDEX alerts_time_cover ON alerts (time_ns, id)
    INCLUDE (priority, rule, namespace, user_name);
  DROP INDEX alerts_time;
  DROP INDEX alerts_priority_time;
  DO $$
  DECLARE ext_schema name;
  BEGIN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXCEPTION WHEN OTHERS THEN
      RAISE NOTICE 'kaudit: no pg_trgm (%): free-text search reads without an index', SQLERRM;
      RETURN;
    END;
    SELECT n.nspname INTO ext_schema FROM pg_extension e
      JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
    EXECUTE format($q$CREATE INDEX alerts_search ON alerts
      USING gin ((${SEARCH_DOC}) %I.gin_trgm_ops)$q$, ext_schema);
  END $$;`,
  // 3: a correlated rule's alert keeps what made it (count, window, group, auditIDs) as
  // JSON text, for the alert page; null for an alert of one event.
  'ALTER TABLE alerts ADD COLUMN correlation TEXT;',
];

/** An advisory lock key of our own ("kaudit" in ASCII). */
const MIGRATION_LOCK = 0x6b6175646974;

/** Brings the database to the latest schema; returns the version it is at. */
export async function migratePostgres(client: pg.ClientBase): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const res = await client.query<{ v: number | null }>(
      'SELECT max(version) AS v FROM schema_version',
    );
    const current = res.rows[0]?.v ?? 0;
    if (current > POSTGRES_MIGRATIONS.length) {
      throw new StoreError(
        'schema_too_new',
        `the store is at schema version ${current}, this kaudit knows up to ${POSTGRES_MIGRATIONS.length}: upgrade kaudit`,
      );
    }
    for (let v = current + 1; v <= POSTGRES_MIGRATIONS.length; v++) {
      await client.query(POSTGRES_MIGRATIONS[v - 1] as string);
      await client.query('INSERT INTO schema_version (version) VALUES ($1)', [v]);
    }
    await client.query('COMMIT');
    return POSTGRES_MIGRATIONS.length;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
}
