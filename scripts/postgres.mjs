#!/usr/bin/env node
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// A throwaway PostgreSQL for tests and benchmarks, from Debian's packages.
//
//   node scripts/postgres.mjs install      installs postgresql with apt-get when missing
//   node scripts/postgres.mjs start [DIR]  initdb + start on 127.0.0.1 (a free port);
//                                          prints KAUDIT_TEST_POSTGRES_URL=... and PGDATA=...
//   node scripts/postgres.mjs stop DIR     stops it and removes DIR
//
// As root the server runs as the `postgres` user (PostgreSQL refuses root). Authentication
// is `trust` on loopback only: the cluster lives for one test run. scripts/run-tests.mjs
// imports startPostgres/stopPostgres so that a test run shares one server.
import { ensureDebianPackage } from './debian.mjs';

const DEBIAN_ROOT = '/usr/lib/postgresql';

/** The bin directory of the newest installed PostgreSQL, or undefined. */
export function findPostgresBin() {
  if (!existsSync(DEBIAN_ROOT)) return undefined;
  const versions = readdirSync(DEBIAN_ROOT)
    .filter((v) => existsSync(join(DEBIAN_ROOT, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(DEBIAN_ROOT, versions[0], 'bin');
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.status !== 0) {
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
    throw new Error(
      `${cmd} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}): ${out.slice(-2000)}`,
    );
  }
  return r.stdout;
}

/** Installs Debian's postgresql when no server binaries are present (root only). */
export function ensurePostgres() {
  return ensureDebianPackage('postgresql', 'PostgreSQL', findPostgresBin);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Runs a server binary, as `postgres` when we are root. */
function asServerUser(bin, tool, args, opts = {}) {
  const path = join(bin, tool);
  return process.getuid?.() === 0
    ? run('runuser', ['-u', 'postgres', '--', path, ...args], opts)
    : run(path, args, opts);
}

/**
 * Creates and starts a cluster in a new directory (or `dir`), with a database `kaudit`.
 * `fast` turns fsync off (tests, bulk loads); `settings` are more `-c name=value` options.
 * @returns {Promise<{ url: string, dir: string, port: number }>}
 */
export async function startPostgres({ dir, fast = true, settings = [] } = {}) {
  const bin = ensurePostgres();
  const root = dir ?? mkdtempSync(join(tmpdir(), 'kaudit-pg-'));
  const data = join(root, 'data');
  mkdirSync(root, { recursive: true });
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(root, uid, gid);
    chmodSync(root, 0o700);
  }
  asServerUser(bin, 'initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--no-sync',
    '--locale=C.UTF-8',
  ]);
  const port = await freePort();
  const opts = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-k ${root}`,
    '-c max_connections=200',
  ];
  if (fast) opts.push('-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off');
  opts.push(...settings);
  asServerUser(bin, 'pg_ctl', [
    '-D',
    data,
    '-l',
    join(root, 'server.log'),
    '-w',
    '-t',
    '60',
    '-o',
    opts.join(' '),
    'start',
  ]);
  asServerUser(bin, 'createdb', [
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-U',
    'postgres',
    'kaudit',
  ]);
  return { url: `postgres://postgres@127.0.0.1:${port}/kaudit`, dir: root, port };
}

/** Stops the cluster started in `dir` and removes the directory. */
export function stopPostgres(dir) {
  const bin = findPostgresBin();
  if (bin !== undefined && existsSync(join(dir, 'data', 'postmaster.pid'))) {
    try {
      asServerUser(bin, 'pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
    } catch {
      // Already gone: the directory still goes.
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [cmd, arg] = process.argv.slice(2);
  try {
    if (cmd === 'install') {
      console.log(`PostgreSQL server binaries: ${ensurePostgres()}`);
    } else if (cmd === 'start') {
      const pg = await startPostgres({ dir: arg, fast: process.env.KAUDIT_PG_FSYNC !== '1' });
      console.log(`KAUDIT_TEST_POSTGRES_URL=${pg.url}`);
      console.log(`PGDATA=${join(pg.dir, 'data')}`);
      console.log(`# stop with: node scripts/postgres.mjs stop ${pg.dir}`);
    } else if (cmd === 'stop' && arg !== undefined) {
      stopPostgres(arg);
    } else {
      console.error('usage: node scripts/postgres.mjs install | start [DIR] | stop DIR');
      process.exit(2);
    }
  } catch (err) {
    console.error(`postgres.mjs: ${err.message}`);
    process.exit(1);
  }
}
