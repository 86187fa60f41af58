import { type ResourceLimits, Worker } from 'node:worker_threads';

// The worker registers tsx itself: an eval worker does not inherit the --import hook.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { register } = await import(workerData.tsx);
  register();
  const mod = await import(workerData.module);
  parentPort.postMessage(await mod[workerData.name](workerData.input));
})().catch((e) => { throw e; });
`;

const TSX_API = import.meta.resolve('tsx/esm/api');

/**
 * Calls `name(input)` of a TypeScript module in a worker thread and resolves with its
 * result, or rejects after `ms` milliseconds. A worker stuck in synchronous code (a
 * catastrophic regex) is terminated; a node:test timeout cannot stop synchronous code
 * running on the test's own thread, so a stall would hang the suite instead of failing.
 * With `limits` (say `{ maxOldGenerationSizeMb: 256 }`) a worker that outgrows its heap
 * ends with ERR_WORKER_OUT_OF_MEMORY, so memory is bounded as well as time.
 *
 * @example await runInWorker(new URL('./probe.ts', import.meta.url), 'evaluate', cases, 30_000)
 */
export async function runInWorker<T>(
  module: URL,
  name: string,
  input: unknown,
  ms: number,
  limits?: ResourceLimits,
): Promise<T> {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { tsx: TSX_API, module: module.href, name, input },
    ...(limits === undefined ? {} : { resourceLimits: limits }),
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<T>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${name}() did not finish in ${ms} ms`)), ms);
      worker.once('message', (m: T) => resolve(m));
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`worker exited with code ${code}`)));
    });
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}
