// Alert store benchmark: fills N generated alerts (seeded) into SQLite and PostgreSQL and
// times the queries the API and the UI run.
//   npx tsx bench/store.ts [--rows 10000000] [--backend sqlite|postgres|both] [--runs 5]
//     [--seed 1] [--keep DIR (the SQLite data directory, kept)]
// Writes bench/results/<time>-store.json. PostgreSQL is a throwaway cluster started by
// scripts/postgres.mjs (fsync off while filling; the queries only read).
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startPostgres, stopPostgres } from '../scripts/postgres.mjs';
import { encodeCursor } from '../src/store/db-row.ts';
import {
  type AlertFilter,
  type AlertStore,
  createPostgresStore,
  openAlertStore,
} from '../src/store/index.ts';
import { generateAlerts, SPAN_DAYS } from './store-data.ts';
import { median } from './measure.ts';
import { describeMachine } from './report.ts';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    backend: { type: 'string', default: 'both' },
    runs: { type: 'string', default: '5' },
    seed: { type: 'string', default: '1' },
    keep: { type: 'string' },
  },
});
const ROWS = Number(values.rows);
const RUNS = Number(values.runs);
const SEED = Number(values.seed);
const BATCH = 5000;

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

async function fill(s: AlertStore): Promise<{ seconds: number; end: bigint }> {
  const t0 = performance.now();
  let end = 0n;
  let batch = [];
  let done = 0;
  for (const a of generateAlerts(ROWS, SEED)) {
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

async function measure(s: AlertStore, end: bigint) {
  const out: Record<string, { medianMs: number; runsMs: number[]; rows: number }> = {};
  for (const c of CASES) {
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
    out[c.name] = { medianMs: median(runs), runsMs: runs, rows };
    console.error(`  ${s.kind}: ${c.name}: ${median(runs)} ms (${rows} rows)`);
  }
  return out;
}

async function benchSqlite(dir: string) {
  const s = await openAlertStore(dir);
  const filled = await fill(s);
  await s.close();
  // A fresh open: what a restarted server sees (and ANALYZE statistics, see sqlite-store.ts).
  const r = await openAlertStore(dir);
  const queries = await measure(r, filled.end);
  await r.close();
  const bytes = statSync(join(dir, 'alerts.db')).size;
  return { fillSeconds: filled.seconds, bytes, queries };
}

async function benchPostgres() {
  // Its own temporary directory: the server user must reach it (ours is root's, mode 700).
  const pg = await startPostgres({
    settings: ['-c shared_buffers=1GB', '-c work_mem=64MB', '-c maintenance_work_mem=512MB'],
  });
  try {
    const s = await createPostgresStore({ url: pg.url });
    const filled = await fill(s);
    // What autovacuum would do soon after a bulk load; a live store gets it continuously.
    const { default: pgLib } = await import('pg');
    const c = new pgLib.Client({ connectionString: pg.url });
    await c.connect();
    await c.query('VACUUM ANALYZE');
    const size = await c.query<{ b: string }>('SELECT pg_database_size(current_database()) AS b');
    await c.end();
    const queries = await measure(s, filled.end);
    await s.close();
    return { fillSeconds: filled.seconds, bytes: Number(size.rows[0]?.b), queries };
  } finally {
    stopPostgres(pg.dir);
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
  seed: SEED,
  runs: RUNS,
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
