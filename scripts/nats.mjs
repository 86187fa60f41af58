#!/usr/bin/env node
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// A throwaway NATS JetStream cluster for tests and benchmarks, from Debian's packages.
//
//   node scripts/nats.mjs install        installs nats-server with apt-get when missing
//   node scripts/nats.mjs start [DIR]    three nodes with JetStream on 127.0.0.1 (free ports);
//                                        prints KAUDIT_TEST_NATS_URL=... and the directory
//   node scripts/nats.mjs stop DIR       stops them and removes DIR
//
// As scripts/postgres.mjs does for PostgreSQL: the tests (tests/helpers/nats.ts) import
// startNatsCluster, which starts its own cluster per test so that a test can kill a node.
import { ensureDebianPackage } from './debian.mjs';

const CANDIDATES = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'];

/** The nats-server binary, or undefined. */
export function findNatsServer() {
  for (const c of CANDIDATES) if (existsSync(c)) return c;
  const r = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  const p = r.stdout?.trim();
  return r.status === 0 && p ? p : undefined;
}

/** Installs Debian's nats-server when it is missing (root only); returns its path. */
export function ensureNatsServer() {
  return ensureDebianPackage('nats-server', 'nats-server', findNatsServer);
}

/** A free TCP port on loopback (a race with other processes is possible, and rare). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function nodeConfig(node, all, dir) {
  const routes = all.map((n) => `nats-route://127.0.0.1:${n.clusterPort}`).join(', ');
  return `server_name: ${node.name}
listen: 127.0.0.1:${node.port}
http: 127.0.0.1:${node.httpPort}
jetstream {
  store_dir: "${join(dir, node.name)}"
  max_memory_store: 64MB
  max_file_store: 4GB
}
cluster {
  name: kaudit
  listen: 127.0.0.1:${node.clusterPort}
  routes: [${routes}]
}
`;
}

/** Starts one node from its config file; its output goes to `<dir>/<name>.log`. */
export function startNode(bin, dir, node) {
  const log = join(dir, `${node.name}.log`);
  const child = spawn(bin, ['-c', join(dir, `${node.name}.conf`)], {
    stdio: ['ignore', 'ignore', 'ignore'],
    detached: false,
  });
  writeFileSync(join(dir, `${node.name}.pid`), String(child.pid));
  child.unref();
  node.process = child;
  node.log = log;
  return child;
}

async function healthy(node) {
  try {
    const res = await fetch(`http://127.0.0.1:${node.httpPort}/healthz`);
    return res.ok;
  } catch {
    return false;
  }
}

/** Resolves once every node answers /healthz with JetStream current (or throws after `ms`). */
export async function waitHealthy(nodes, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const states = await Promise.all(nodes.map(healthy));
    if (states.every(Boolean)) return;
    if (Date.now() > deadline) {
      const bad = nodes.filter((_, i) => !states[i]).map((n) => n.name);
      throw new Error(`nats nodes not healthy after ${ms} ms: ${bad.join(', ')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts a cluster of `size` JetStream nodes on loopback in a new directory (or `dir`).
 * @returns {Promise<{ urls: string[], url: string, dir: string, nodes: object[], bin: string }>}
 */
export async function startNatsCluster({ dir, size = 3 } = {}) {
  const bin = ensureNatsServer();
  const root = dir ?? mkdtempSync(join(tmpdir(), 'kaudit-nats-'));
  mkdirSync(root, { recursive: true });
  const nodes = [];
  for (let i = 1; i <= size; i++) {
    nodes.push({
      name: `n${i}`,
      port: await freePort(),
      clusterPort: await freePort(),
      httpPort: await freePort(),
    });
  }
  for (const n of nodes) writeFileSync(join(root, `${n.name}.conf`), nodeConfig(n, nodes, root));
  for (const n of nodes) startNode(bin, root, n);
  await waitHealthy(nodes);
  const urls = nodes.map((n) => `nats://127.0.0.1:${n.port}`);
  return { urls, url: urls.join(','), dir: root, nodes, bin };
}

/** Stops every node started in `dir` (by their pid files) and removes the directory. */
export function stopNatsCluster(dir) {
  for (let i = 1; i <= 9; i++) {
    const pidFile = join(dir, `n${i}.pid`);
    if (!existsSync(pidFile)) continue;
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [cmd, arg] = process.argv.slice(2);
  try {
    if (cmd === 'install') {
      console.log(`nats-server: ${ensureNatsServer()}`);
    } else if (cmd === 'start') {
      const c = await startNatsCluster({ dir: arg });
      console.log(`KAUDIT_TEST_NATS_URL=${c.url}`);
      console.log(`# stop with: node scripts/nats.mjs stop ${c.dir}`);
      process.exit(0);
    } else if (cmd === 'stop' && arg !== undefined) {
      stopNatsCluster(arg);
    } else {
      console.error('usage: node scripts/nats.mjs install | start [DIR] | stop DIR');
      process.exit(2);
    }
  } catch (err) {
    console.error(`nats.mjs: ${err.message}`);
    process.exit(1);
  }
}
