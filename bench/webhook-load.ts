// Load generator for `kaudit serve`: starts a real server (its own data directory, Falco's
// rules unless told otherwise), posts EventList batches of audit events over several
// keep-alive connections as kube-apiserver's webhook backend does, and reports:
//   max:  sustained events/s, counted until detection has processed every event
//   rate: acknowledgement latency (p50/p90/p99/max) at a fixed rate, open loop
// plus the server's peak RSS. Results go to bench/results/<date>-webhook.json with --save.
//
//   npx tsx bench/webhook-load.ts --mode max --events 200000 --connections 4
//   npx tsx bench/webhook-load.ts --mode rate --rate 5000 --seconds 30
//   options: --batch 400 --mix busy --seed 1 --rules FILE --bin dist/kaudit.mjs --save
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { eventListBodies } from './gen/eventlist-batches.ts';
import type { Mix } from './generate.ts';
import { describeMachine } from './report.ts';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'max' },
    events: { type: 'string', default: '200000' },
    batch: { type: 'string', default: '400' },
    connections: { type: 'string', default: '4' },
    rate: { type: 'string', default: '5000' },
    seconds: { type: 'string', default: '30' },
    mix: { type: 'string', default: 'busy' },
    seed: { type: 'string', default: '1' },
    rules: { type: 'string' },
    bin: { type: 'string', default: join(ROOT, 'dist/kaudit.mjs') },
    save: { type: 'boolean', default: false },
  },
});
const mode = values.mode as 'max' | 'rate';
const batchSize = Number(values.batch);
const connections = Number(values.connections);
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const totalEvents = mode === 'rate' ? rate * seconds : Number(values.events);
const rules =
  values.rules ?? join(ROOT, '..', 'shared', 'fixtures', 'falco', 'rules', 'k8s_audit_rules.yaml');

interface Server {
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

async function startServer(dataDir: string): Promise<Server> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(
    process.execPath,
    [
      // e.g. BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the server.
      ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      '--input-type=module',
      '-e',
      `import { main } from ${JSON.stringify(`file://${values.bin}`)}; process.exitCode = await main(process.argv);`,
      'kaudit',
      'serve',
      '--listen',
      `127.0.0.1:${port}`,
      '--data-dir',
      dataDir,
      '-r',
      rules,
      '--output',
      `file:${join(dataDir, 'alerts.json')}`,
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  for (let i = 0; i < 100; i++) {
    await sleep(100);
    const ok = await get(port, '/readyz').then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
  }
  return {
    port,
    pid: child.pid as number,
    stop: () =>
      new Promise((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((res, rej) => {
    const req = request({ host: '127.0.0.1', port, path }, (r) => {
      let body = '';
      r.setEncoding('utf8');
      r.on('data', (c) => (body += c));
      r.on('end', () => res({ status: r.statusCode ?? 0, body }));
    });
    req.on('error', rej);
    req.end();
  });
}

function post(agent: Agent, port: number, body: Buffer): Promise<number> {
  return new Promise((res, rej) => {
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
    req.on('error', rej);
    req.end(body);
  });
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system, all threads) a process has used, from /proc. */
function cpuSeconds(pid: number): number {
  try {
    // Fields 14 and 15 of /proc/PID/stat, after the command name in parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

async function metric(port: number, name: string): Promise<number> {
  const { body } = await get(port, '/metrics');
  const line = body.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.split(' ')[1]);
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function main(): Promise<void> {
  process.stderr.write(`building ${totalEvents} events in batches of ${batchSize}\n`);
  const bodies = eventListBodies({
    mix: values.mix as Mix,
    events: totalEvents,
    seed: Number(values.seed),
    batch: batchSize,
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'kaudit-webhook-bench-'));
  const server = await startServer(dataDir);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssMb(server.pid));
  }, 200);
  const latencies: number[] = [];
  let failed = 0;
  let next = 0;
  // The load generator shares the machine's cores with the server: both CPU figures are
  // reported, and the server's throughput per core of its own.
  const serverCpuStart = cpuSeconds(server.pid);
  const selfCpuStart = process.cpuUsage();
  const started = performance.now();
  const send = async (body: Buffer): Promise<void> => {
    const t = performance.now();
    const status = await post(agent, server.port, body).catch(() => 0);
    latencies.push(performance.now() - t);
    if (status !== 200) failed++;
  };
  if (mode === 'max') {
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (next < bodies.length) await send(bodies[next++] as Buffer);
      }),
    );
  } else {
    // Open loop: batches leave on schedule whether or not earlier ones were answered.
    const interval = (batchSize / rate) * 1000;
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < bodies.length; i++) {
      const due = started + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      inflight.push(send(bodies[i] as Buffer));
    }
    await Promise.all(inflight);
  }
  const ackedMs = performance.now() - started;
  // Sustained means detection kept up: wait until it has processed everything.
  while ((await metric(server.port, 'kaudit_spool_pending_events')) > 0) await sleep(50);
  const processedMs = performance.now() - started;
  const serverCpu = cpuSeconds(server.pid) - serverCpuStart;
  const selfCpu = process.cpuUsage(selfCpuStart);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, rssMb(server.pid));
  const alerts = await metric(server.port, 'kaudit_spool_pending_batches');
  await server.stop();
  agent.destroy();
  const sorted = [...latencies].sort((a, b) => a - b);
  const result = {
    date: new Date().toISOString(),
    suite: 'webhook',
    machine: describeMachine(),
    mode,
    events: totalEvents,
    batch: batchSize,
    connections,
    targetRate: mode === 'rate' ? rate : undefined,
    failedRequests: failed,
    ackedSeconds: ackedMs / 1000,
    processedSeconds: processedMs / 1000,
    ackedEventsPerSec: Math.round(totalEvents / (ackedMs / 1000)),
    sustainedEventsPerSec: Math.round(totalEvents / (processedMs / 1000)),
    ackMs: {
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1],
    },
    peakRssMb: Math.round(peakRss),
    serverCpuSeconds: serverCpu,
    generatorCpuSeconds: (selfCpu.user + selfCpu.system) / 1e6,
    serverEventsPerCpuSecond: Math.round(totalEvents / serverCpu),
    pendingAtEnd: alerts,
    rules,
  };
  rmSync(dataDir, { recursive: true, force: true });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (values.save) {
    const dir = join(ROOT, 'bench/results');
    mkdirSync(dir, { recursive: true });
    const file = join(
      dir,
      `${result.date.replace(/[:.]/g, '-').slice(0, 19)}-webhook-${mode}.json`,
    );
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    process.stderr.write(`saved ${file}\n`);
  }
}

await main();
