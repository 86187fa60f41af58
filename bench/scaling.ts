// Steady-state scaling of the scan's chunk path, in one process: every chunk of a file
// scanned on the main thread alone, then split between the main thread and one warm
// worker. Start-up and JIT warm-up are left out on purpose (both threads run the whole
// file once before timing), so this shows what the machine gives a second thread.
//
//   npx tsx bench/scaling.ts [FILE] [--rounds 3]
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { planChunks } from '../src/cli/parallel/plan-chunks.ts';
import { createChunkScanner } from '../src/cli/parallel/scan-chunk.ts';
import { loadRuleset } from '../src/cli/ruleset.ts';
import { createScanCore, type ScanConfig } from '../src/cli/scan-core.ts';

interface Job {
  readonly file: string;
  readonly rules: string;
}

const cfg: ScanConfig = {
  selections: [],
  format: 'json',
  ruleMatching: 'first',
  isoTime: false,
  fastpath: true,
};

async function prepare(job: Job) {
  const devNull = new Writable({ write: (_c, _e, cb) => cb() });
  const loaded = await loadRuleset({ rules: [job.rules], stderr: devNull });
  const scanner = createChunkScanner(createScanCore(loaded.rules, cfg), cfg);
  const plan = await planChunks([job.file], 2);
  if (plan === undefined) throw new Error(`cannot split ${job.file}`);
  // Every other chunk, starting at `first`.
  return async (first: number, stride: number): Promise<void> => {
    for (let i = first; i < plan.chunks.length; i += stride) {
      await scanner.scan(plan.chunks[i] as (typeof plan.chunks)[number]);
    }
  };
}

if (isMainThread) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { rounds: { type: 'string', default: '3' } },
  });
  const job: Job = {
    file: positionals[0] ?? 'bench/corpus/busy-100000-s1.jsonl',
    rules: positionals[1] ?? '../shared/fixtures/falco/rules/k8s_audit_rules.yaml',
  };
  const rounds = Number(values.rounds);
  const run = await prepare(job);
  await run(0, 1); // warm-up
  const solo: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    await run(0, 1);
    solo.push(performance.now() - t);
  }
  const worker = new Worker(new URL('./scaling-worker.mjs', import.meta.url), { workerData: job });
  await new Promise((resolve) => worker.once('message', resolve));
  const pair: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    const other = new Promise((resolve) => worker.once('message', resolve));
    worker.postMessage('go');
    await run(0, 2);
    await other;
    pair.push(performance.now() - t);
  }
  await worker.terminate();
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  console.log(
    `one thread ${med(solo).toFixed(0)} ms, two threads ${med(pair).toFixed(0)} ms: ` +
      `${(med(solo) / med(pair)).toFixed(2)}x (medians of ${rounds}, warm)`,
  );
} else {
  const run = await prepare(workerData as Job);
  await run(1, 2); // warm-up
  parentPort?.postMessage('ready');
  parentPort?.on('message', () => {
    run(1, 2).then(() => parentPort?.postMessage('done'));
  });
}
