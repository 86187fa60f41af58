#!/usr/bin/env node
// Runs every tests/**/*.test.ts with node:test through tsx. Node 20's --test takes no glob,
// so we list the files ourselves. Extra args are file filters (substring match).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COUNTS_FILE, hasShared, settleFixtureCounts } from './fixture-counts.mjs';
import { startPostgres, stopPostgres } from './postgres.mjs';

function walk(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'fixtures' && entry.name !== 'node_modules') walk(p, out);
    } else if (entry.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = walk('tests', [])
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// Every kaudit the tests start caches loaded rules here, never in the user's ~/.cache.
const cacheDir = mkdtempSync(join(tmpdir(), 'kaudit-test-cache-'));
const env = { ...process.env, KAUDIT_CACHE_DIR: cacheDir };
// One PostgreSQL for the whole run, when a selected test uses it (tests/helpers/postgres.ts).
// A failure to start it is passed on: those tests fail with the reason, they do not skip.
let pg;
const needsPostgres = files.some((f) => readFileSync(f, 'utf8').includes('helpers/postgres.ts'));
if (needsPostgres && env.KAUDIT_TEST_NO_POSTGRES !== '1' && !env.KAUDIT_TEST_POSTGRES_URL) {
  try {
    pg = await startPostgres();
    env.KAUDIT_TEST_POSTGRES_URL = pg.url;
  } catch (err) {
    env.KAUDIT_TEST_POSTGRES_ERROR = err.message;
    console.error(`run-tests: PostgreSQL did not start: ${err.message}`);
  }
}
const counted = join(cacheDir, 'test-counts.json');
const r = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${join(import.meta.dirname, 'test-count-reporter.mjs')}`,
    `--test-reporter-destination=${counted}`,
    ...files,
  ],
  {
    stdio: 'inherit',
    env,
  },
);
if (pg !== undefined) stopPostgres(pg.dir);
const root = join(import.meta.dirname, '..');
const shared = hasShared(root);
const fixtures = settleFixtureCounts(root, files, counted, { shared, full: filters.length === 0 });
if (!shared) {
  // One more line under node:test's summary: what a checkout without ../shared did not test.
  console.log(
    `ℹ fixture tests not generated ${fixtures.missing} (../shared absent; per file in ${COUNTS_FILE})`,
  );
} else if (fixtures.updated) {
  console.log(`ℹ fixture test counts recorded in ${COUNTS_FILE}`);
}
rmSync(cacheDir, { recursive: true, force: true });
process.exit(r.status ?? 1);
