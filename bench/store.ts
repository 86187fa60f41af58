// Alert store benchmark: fills N generated alerts (seeded) into SQLite and PostgreSQL and
// times the queries the API and the UI run.
//   npx tsx bench/store.ts [--rows 10000000] [--copies 10] [--backend sqlite|postgres|both]
//     [--runs 5] [--seed 1] [--keep DIR (the SQLite data directory, kept)]
//     [--no-search (no free-text cases; PostgreSQL: no trigram index built after the copies)]
//     [--ab (PostgreSQL: the count queries also timed against schema 1, interleaved)]
// rows/copies distinct alerts over SPAN_DAYS/copies days go in through AlertStore.insert
// (timed: the insert rate), then SQL copies them `copies - 1` times, each shifted by that
// span, with fresh ids and auditIDs: N alerts over SPAN_DAYS days. Generating and
// sanitising 10 million alerts in JavaScript alone took over an hour on the shared
// 2-core machine; the copies keep the distribution and cost seconds.
// Writes bench/results/<time>-store.json. PostgreSQL is a throwaway cluster started by
// scripts/postgres.mjs (fsync off while filling; the queries only read); its copies are
// made without the secondary indexes, built afterwards (timed apart), and every query's
// plan (EXPLAIN of the SQL the store sent) is saved with its figures.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { startPostgres, stopPostgres } from '../scripts/postgres.mjs';
import { encodeCursor } from '../src/store/db-row.ts';
import {
  type AlertFilter,
  type AlertStore,
  createPostgresStore,
  openAlertStore,
} from '../src/store/index.ts';
import { median } from './measure.ts';
import { describeMachine } from './report.ts';
import { generateAlerts, SPAN_DAYS } from './store-data.ts';
import { abAgainstV1, type Explainer, explainPostgres } from './store-pg.ts';

const ROOT = resolve(import.meta.dirname, '..');
/** Columns copied as they are (id, time_ns and audit_id change per copy). */
const COPY_COLUMNS =
  'priority, rule, source, tags, hostname, cluster, output, message, output_fields, namespace, ' +
  'user_name, verb, resource, name, stage, source_ip, user_agent, response_code, redacted';
const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    copies: { type: 'string', default: '10' },
    backend: { type: 'string', default: 'both' },
    runs: { type: 'string', default: '5' },
    seed: { type: 'string', default: '1' },
    keep: { type: 'string' },
    'no-search': { type: 'boolean', default: false },
    ab: { type: 'boolean', default: false },
  },
});
const ROWS = Number(values.rows);
const COPIES = Number(values.copies);
const DISTINCT = Math.ceil(ROWS / COPIES);
const RUNS = Number(values.runs);
const SEED = Number(values.seed);
const BATCH = 5000;
const NO_SEARCH = values['no-search'] === true;

interface QueryCase {
  readonly name: string;
  run(s: AlertStore, end: bigint): Promise<unknown>;
}

const DAY_NS = 86_400_000_000_000n;
const page = (f: AlertFilter) => (s: AlertStore) => s.list(f, { limit: 50 });
/** A cursor into the middle of the time range: a page as deep as the store holds. */
const deep = (f: AlertFilter) => (s: AlertStore, end: bigint) =>
  s.list(f, {
    limit: 50,
    cursor: encodeCursor(String(end - (BigInt(SPAN_DAYS) * DAY_NS) / 2n), '9223372036854775807'),
  });
const last24h = (end: bigint): AlertFilter => ({ from: String(end - DAY_NS), to: String(end) });

const CASES: readonly QueryCase[] = [
  { name: 'list: first page', run: page({}) },
  { name: 'list: deep page (cursor at mid-range)', run: deep({}) },
  { name: 'list: first page, namespace', run: page({ namespace: 'ns-7' }) },
  { name: 'list: first page, rare rule', run: page({ rule: ['Rule 59'] }) },
  { name: 'list: first page, priority >= Critical', run: page({ minPriority: 'Critical' }) },
  {
    name: 'list: first page, user + priority >= Error',
    run: page({ user: 'user-3', minPriority: 'Error' }),
  },
  { name: 'list: first page, tag', run: page({ tag: 'mitre_persistence' }) },
  { name: 'list: deep page, namespace', run: deep({ namespace: 'ns-7' }) },
  { name: 'list: deep page, priority >= Critical', run: deep({ minPriority: 'Critical' }) },
  { name: 'list: last 24 h, first page', run: (s, end) => s.list(last24h(end), { limit: 50 }) },
  {
    name: 'counts: by priority, 24 h, 5 min buckets',
    run: (s, end) => s.counts(last24h(end), { by: 'priority', bucketMs: 300_000 }),
  },
  {
    name: 'counts: by rule, 24 h, 5 min buckets',
    run: (s, end) => s.counts(last24h(end), { by: 'rule', bucketMs: 300_000 }),
  },
  {
    name: 'counts: by namespace, 24 h, priority >= Error',
    run: (s, end) =>
      s.counts({ ...last24h(end), minPriority: 'Error' }, { by: 'namespace', bucketMs: 300_000 }),
  },
  { name: 'search: common word, first page', run: page({ text: 'exec' }) },
  { name: 'search: rare word, first page', run: page({ text: 'needle-4242' }) },
  {
    name: 'search: rare word, last 24 h',
    run: (s, end) => s.list({ ...last24h(end), text: 'needle-4242' }, { limit: 50 }),
  },
];

/** Inserts the distinct alerts through the store (the last SPAN_DAYS / COPIES days). */
async function fill(s: AlertStore): Promise<{ seconds: number; end: bigint }> {
  const t0 = performance.now();
  let end = 0n;
  let batch = [];
  let done = 0;
  for (const a of generateAlerts(DISTINCT, SEED, SPAN_DAYS / COPIES)) {
    batch.push(a);
    if (batch.length === BATCH) {
      await s.insert(batch);
      done += batch.length;
      batch = [];
      if (done % 500_000 === 0) {
        const rate = Math.round(done / ((performance.now() - t0) / 1000));
        console.error(`  ${s.kind}: ${done.toLocaleString('en-US')} alerts (${rate}/s)`);
      }
    }
    end = BigInt(a.timeNs);
  }
  if (batch.length > 0) await s.insert(batch);
  return { seconds: (performance.now() - t0) / 1000, end: end + 1n };
}

async function measure(s: AlertStore, end: bigint, explain?: Explainer) {
  const cases = NO_SEARCH ? CASES.filter((c) => !c.name.startsWith('search:')) : CASES;
  const out: Record<
    string,
    { medianMs: number; runsMs: number[]; rows: number; plans?: string[] }
  > = {};
  for (const c of cases) {
    const t0 = performance.now();
    const first = (await c.run(s, end)) as { items?: unknown[]; totals?: unknown[] };
    // A query over 2 s (a full scan) is timed twice more, not RUNS times: it would take minutes.
    const n = performance.now() - t0 > 2000 ? 2 : RUNS;
    const runs: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await c.run(s, end);
      runs.push(Math.round((performance.now() - t) * 100) / 100);
    }
    const rows = first.items?.length ?? first.totals?.length ?? 0;
    const plans = explain === undefined ? undefined : await explain(() => c.run(s, end));
    out[c.name] = { medianMs: median(runs), runsMs: runs, rows, ...(plans ? { plans } : {}) };
    console.error(`  ${s.kind}: ${c.name}: ${median(runs)} ms (${rows} rows)`);
  }
  return out;
}

// In ms first: SPAN_DAYS / COPIES need not be a whole number of days.
const SPAN_NS = BigInt(Math.round((SPAN_DAYS / COPIES) * 86_400_000)) * 1_000_000n;

/** Copies the distinct rows backwards in time, `COPIES - 1` times (see the header). */
function replicateSqlite(file: string): number {
  const t0 = performance.now();
  const db = new Database(file);
  const max = Number((db.prepare('SELECT max(id) AS m FROM alerts').get() as { m: number }).m);
  for (let k = 1; k < COPIES; k++) {
    db.transaction(() => {
      db.prepare(
        `INSERT INTO alerts (id, time_ns, ${COPY_COLUMNS}, audit_id)
         SELECT id + @k * @max, time_ns - @k * @span, ${COPY_COLUMNS}, audit_id || '~' || @k
         FROM alerts WHERE id <= @max`,
      ).run({ k, max, span: SPAN_NS });
      db.prepare(
        'INSERT INTO alert_events (id, event) SELECT id + @k * @max, event FROM alert_events WHERE id <= @max',
      ).run({ k, max });
    })();
    console.error(`  sqlite: copy ${k} of ${COPIES - 1} done`);
  }
  db.close();
  return (performance.now() - t0) / 1000;
}

async function benchSqlite(dir: string) {
  const s = await openAlertStore(dir);
  const filled = await fill(s);
  await s.close();
  const copySeconds = replicateSqlite(join(dir, 'alerts.db'));
  // A fresh open: what a restarted server sees (and ANALYZE statistics, see sqlite-store.ts).
  const r = await openAlertStore(dir);
  const queries = await measure(r, filled.end);
  await r.close();
  const bytes = statSync(join(dir, 'alerts.db')).size;
  return { insertedByApi: DISTINCT, insertSeconds: filled.seconds, copySeconds, bytes, queries };
}

async function benchPostgres() {
  // Its own temporary directory: the server user must reach it (ours is root's, mode 700).
  const server = await startPostgres({
    settings: ['-c shared_buffers=1GB', '-c work_mem=64MB', '-c maintenance_work_mem=512MB'],
  });
  try {
    const s = await createPostgresStore({ url: server.url });
    const filled = await fill(s);
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    const t0 = performance.now();
    const max = (await c.query<{ m: string }>('SELECT max(id) AS m FROM alerts')).rows[0]?.m;
    // The indexes go while copying and are built again after: far faster than updating
    // each of them row by row (their build time is reported on its own).
    const indexes = (
      await c.query<{ name: string; def: string }>(
        `SELECT indexname AS name, indexdef AS def FROM pg_indexes
         WHERE tablename = 'alerts' AND indexname <> 'alerts_pkey'`,
      )
    ).rows;
    for (const i of indexes) await c.query(`DROP INDEX ${i.name}`);
    for (let k = 1; k < COPIES; k++) {
      await c.query('BEGIN');
      await c.query(
        `INSERT INTO alerts (id, time_ns, ${COPY_COLUMNS}, audit_id)
         SELECT id + $1::bigint * $2::bigint, time_ns - $1::bigint * $3::bigint, ${COPY_COLUMNS},
           audit_id || '~' || $1 FROM alerts WHERE id <= $2::bigint`,
        [k, max, String(SPAN_NS)],
      );
      await c.query(
        'INSERT INTO alert_events (id, event) SELECT id + $1::bigint * $2::bigint, event FROM alert_events WHERE id <= $2::bigint',
        [k, max],
      );
      await c.query('COMMIT');
      console.error(`  postgres: copy ${k} of ${COPIES - 1} done`);
    }
    await c.query("SELECT setval('alerts_id_seq', (SELECT max(id) FROM alerts))");
    const copySeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const indexSeconds: Record<string, number> = {};
    for (const i of indexes) {
      if (NO_SEARCH && i.name === 'alerts_search') continue;
      const t = performance.now();
      await c.query(i.def);
      indexSeconds[i.name] = Math.round(performance.now() - t) / 1000;
      console.error(`  postgres: index ${i.name} built in ${indexSeconds[i.name]} s`);
    }
    const indexBuildSeconds = (performance.now() - t1) / 1000;
    // What autovacuum would do soon after a bulk load; a live store gets it continuously.
    await c.query('VACUUM ANALYZE');
    const size = await c.query<{ b: string }>('SELECT pg_database_size(current_database()) AS b');
    await c.end();
    const queries = await measure(s, filled.end, explainPostgres(server.url));
    const ab =
      values.ab === true
        ? await abAgainstV1(
            server.url,
            CASES.filter((k) => k.name.startsWith('counts:')).map((k) => ({
              name: k.name,
              run: () => k.run(s, filled.end),
            })),
            RUNS,
          )
        : undefined;
    await s.close();
    return {
      insertedByApi: DISTINCT,
      insertSeconds: filled.seconds,
      copySeconds,
      indexBuildSeconds,
      indexSeconds,
      ...(ab === undefined ? {} : { abSchema1: ab }),
      bytes: Number(size.rows[0]?.b),
      queries,
    };
  } finally {
    stopPostgres(server.dir);
  }
}

const base = values.keep ?? mkdtempSync(join(tmpdir(), 'kaudit-store-bench-'));
const results: Record<string, unknown> = {};
const started = Date.now();
try {
  if (values.backend !== 'postgres') {
    console.error(`SQLite: filling ${ROWS} alerts`);
    results.sqlite = await benchSqlite(join(base, 'sqlite'));
  }
  if (values.backend !== 'sqlite') {
    console.error(`PostgreSQL: filling ${ROWS} alerts`);
    results.postgres = await benchPostgres();
  }
} finally {
  if (values.keep === undefined) rmSync(base, { recursive: true, force: true });
}
const report = {
  suite: 'store',
  date: new Date().toISOString(),
  rows: ROWS,
  copies: COPIES,
  seed: SEED,
  runs: RUNS,
  noSearch: NO_SEARCH,
  wallSeconds: Math.round((Date.now() - started) / 1000),
  machine: describeMachine(),
  results,
};
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
const file = join(
  ROOT,
  'bench',
  'results',
  `${report.date.slice(0, 19).replace(/:/g, '-')}-store.json`,
);
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
console.error(`saved ${file}`);
