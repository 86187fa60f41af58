// Throughput of the distributed path (docs/distributed.md): `kaudit serve --bus` replicas
// publishing to a real NATS JetStream cluster of three (stream R3, file storage) and
// `kaudit detect` workers storing alerts in a real PostgreSQL, all on this machine.
// Reports events/s acknowledged (ingest) and processed (the detect consumer and every
// correlation partition drained), and the CPU seconds each kind of process spent per
// 10,000 events: the per-process costs the sizing guide scales from.
//
//   npx tsx bench/bus-throughput.ts --events 100000 --serves 1 --workers 2 --connections 4
//   options: --batch 400 --mix busy --seed 1 --rules FILE|DIR --partitions 8 --save
// Compare with the embedded path: npx tsx bench/webhook-load.ts --mode max --events 100000
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startNatsCluster, stopNatsCluster } from '../scripts/nats.mjs';
import { startPostgres, stopPostgres } from '../scripts/postgres.mjs';
import { busOptions, DETECT_CONSUMER, partitionConsumer } from '../src/bus/bus-options.ts';
import { connectBus } from '../src/bus/connect.ts';
import { eventListBodies } from './gen/eventlist-batches.ts';
import type { Mix } from './generate.ts';
import { describeMachine } from './report.ts';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    batch: { type: 'string', default: '400' },
    connections: { type: 'string', default: '4' },
    serves: { type: 'string', default: '1' },
    workers: { type: 'string', default: '2' },
    partitions: { type: 'string', default: '8' },
    mix: { type: 'string', default: 'busy' },
    seed: { type: 'string', default: '1' },
    rules: { type: 'string' },
    bin: { type: 'string', default: join(ROOT, 'dist/kaudit.mjs') },
    save: { type: 'boolean', default: false },
  },
});
const totalEvents = Number(values.events);
const batchSize = Number(values.batch);
const connections = Number(values.connections);
const rules =
  values.rules ?? join(ROOT, '..', 'shared', 'fixtures', 'falco', 'rules', 'k8s_audit_rules.yaml');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Proc {
  readonly pid: number;
  readonly port: number;
  stop(): Promise<void>;
}

/** Runs `kaudit ARGS` from the bundle and waits for /readyz on `port`. */
async function startKaudit(args: readonly string[], port: number): Promise<Proc> {
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { main } from ${JSON.stringify(`file://${values.bin}`)}; process.exitCode = await main(process.argv);`,
      'kaudit',
      ...args,
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  for (let i = 0; i < 300; i++) {
    await sleep(100);
    if ((await get(port, '/readyz').catch(() => 0)) === 200) break;
  }
  return {
    pid: child.pid as number,
    port,
    stop: () =>
      new Promise((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

function get(port: number, path: string): Promise<number> {
  return new Promise((res, rej) => {
    const req = request({ host: '127.0.0.1', port, path }, (r) => {
      r.resume();
      r.on('end', () => res(r.statusCode ?? 0));
    });
    req.on('error', rej);
    req.end();
  });
}

function post(agent: Agent, port: number, body: Buffer): Promise<number> {
  return new Promise((res) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/k8s-audit',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': body.length },
      },
      (r) => {
        r.resume();
        r.on('end', () => res(r.statusCode ?? 0));
      },
    );
    req.on('error', () => res(0));
    req.end(body);
  });
}

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

/** The pids of PostgreSQL's processes for the cluster in `dir` (postmaster and backends). */
function postgresPids(dir: string): number[] {
  const pids: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8');
      if (cmd.includes(dir) || /^postgres: /.test(cmd)) pids.push(Number(e));
    } catch {}
  }
  return pids;
}

async function main(): Promise<void> {
  process.stderr.write(`building ${totalEvents} events in batches of ${batchSize}\n`);
  const bodies = eventListBodies({
    mix: values.mix as Mix,
    events: totalEvents,
    seed: Number(values.seed),
    batch: batchSize,
  });
  const nats = await startNatsCluster();
  // fsync on: the store's commits cost what they would on a real server.
  const pg = await startPostgres({ fast: false });
  const partitions = Number(values.partitions);
  const common = ['--bus', nats.url, '--bus-replicas', '3', '--bus-partitions', String(partitions)];
  const serves: Proc[] = [];
  const workers: Proc[] = [];
  try {
    for (let i = 0; i < Number(values.serves); i++) {
      const port = 20000 + Math.floor(Math.random() * 20000);
      const args = [
        'serve',
        '--listen',
        `127.0.0.1:${port}`,
        '--data-dir',
        `/tmp/kaudit-bus-bench-${port}`,
      ];
      serves.push(await startKaudit([...args, '-r', rules, '--store', 'none', ...common], port));
    }
    for (let i = 0; i < Number(values.workers); i++) {
      const port = 20000 + Math.floor(Math.random() * 20000);
      const args = ['detect', '--listen', `127.0.0.1:${port}`, '-r', rules, '--store', pg.url];
      workers.push(await startKaudit([...args, ...common], port));
    }
    const bus = await connectBus(busOptions(nats.urls, { partitions }), 'bench');
    const consumers = [
      DETECT_CONSUMER,
      ...Array.from({ length: partitions }, (_, p) => partitionConsumer(p)),
    ];
    const backlog = async (): Promise<number> => {
      let n = 0;
      for (const c of consumers) {
        const ci = await bus.jsm.consumers.info('KAUDIT', c);
        n += ci.num_pending + ci.num_ack_pending;
      }
      return n;
    };
    const natsPids = nats.nodes.map((n) => n.process?.pid as number);
    const pgPids = postgresPids(pg.dir);
    const cpu = (pids: readonly number[]): number => pids.reduce((s, p) => s + cpuSeconds(p), 0);
    const start = {
      serve: cpu(serves.map((s) => s.pid)),
      detect: cpu(workers.map((w) => w.pid)),
      nats: cpu(natsPids),
      postgres: cpu(pgPids),
    };
    const agent = new Agent({ keepAlive: true, maxSockets: connections });
    let next = 0;
    let failed = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: connections }, async (_, c) => {
        while (next < bodies.length) {
          const body = bodies[next++] as Buffer;
          const serve = serves[c % serves.length] as Proc;
          while ((await post(agent, serve.port, body)) !== 200) {
            failed++;
            await sleep(100);
          }
        }
      }),
    );
    const ackedMs = performance.now() - started;
    // Polled twice a second: JetStream API requests cost the cluster CPU, counted below.
    while ((await backlog()) > 0) await sleep(500);
    const processedMs = performance.now() - started;
    const spent = {
      serve: cpu(serves.map((s) => s.pid)) - start.serve,
      detect: cpu(workers.map((w) => w.pid)) - start.detect,
      nats: cpu(natsPids) - start.nats,
      postgres: cpu(postgresPids(pg.dir)) - start.postgres,
    };
    const per10k = (s: number) => Math.round((s / totalEvents) * 10_000 * 1000) / 1000;
    const result = {
      date: new Date().toISOString(),
      suite: 'bus',
      machine: describeMachine(),
      events: totalEvents,
      batch: batchSize,
      connections,
      serves: serves.length,
      workers: workers.length,
      partitions,
      failedRequests: failed,
      ackedSeconds: ackedMs / 1000,
      processedSeconds: processedMs / 1000,
      ackedEventsPerSec: Math.round(totalEvents / (ackedMs / 1000)),
      sustainedEventsPerSec: Math.round(totalEvents / (processedMs / 1000)),
      cpuSeconds: spent,
      cpuSecondsPer10kEvents: {
        serve: per10k(spent.serve),
        detect: per10k(spent.detect),
        nats: per10k(spent.nats),
        postgres: per10k(spent.postgres),
      },
      rules,
    };
    agent.destroy();
    await bus.close();
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    if (values.save) {
      const dir = join(ROOT, 'bench/results');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${result.date.replace(/[:.]/g, '-').slice(0, 19)}-bus.json`);
      writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
      process.stderr.write(`saved ${file}\n`);
    }
  } finally {
    for (const p of [...serves, ...workers]) await p.stop();
    stopNatsCluster(nats.dir);
    stopPostgres(pg.dir);
  }
}

await main();
