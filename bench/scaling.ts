// Steady-state scaling of the scan's chunk path, in one process: every chunk of a file
// scanned on the main thread alone, then split between the main thread and one warm
// worker. Start-up and JIT warm-up are left out on purpose (both threads run the whole
// file once before timing), so this shows what the machine gives a second thread.
//
//   npx tsx bench/scaling.ts [FILE] [--rounds 3]
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createChunkScanner } from '../src/pipeline/parallel/chunk-scanner.ts';
import type { ChunkScanConfig } from '../src/pipeline/parallel/messages.ts';
import { loadRuleset } from '../src/rules/index.ts';
import { planChunks } from '../src/sources/index.ts';

interface Job {
  readonly file: string;
  readonly rules: string;
}

const cfg: ChunkScanConfig = {
  detector: { ruleMatching: 'first', hostname: 'bench', fastpath: true },
  maxLineBytes: 4 * 1024 * 1024,
  channels: [{ format: { format: 'json' } }],
  structured: false,
};

async function prepare(job: Job) {
  const loaded = await loadRuleset({ rules: [job.rules] });
  if (!loaded.ok) throw new Error(`rules failed to load: ${job.rules}`);
  const scanner = createChunkScanner(loaded.rules, cfg);
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
