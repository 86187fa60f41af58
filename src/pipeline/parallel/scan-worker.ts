import { parentPort } from 'node:worker_threads';
import { type ChunkScanner, createChunkScanner } from './chunk-scanner.ts';
import type { WorkerRequest, WorkerResponse } from './messages.ts';

// A scan worker boots as soon as the scan starts, while the main thread loads the
// rules; it receives the loaded rules (plain data) instead of reading and parsing the
// YAML again, compiles its own engine, then scans the chunks it is sent, one at a time.
const port = parentPort;
if (port === null) throw new Error('scan-worker must run in a worker thread');
const post = (m: WorkerResponse): void => port.postMessage(m);

let scanner: ChunkScanner | undefined;
// Chunks run one after another: a second one may be queued so the thread never waits.
let queue: Promise<void> = Promise.resolve();

port.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'stop') {
    port.close();
    return;
  }
  if (msg.type === 'init') {
    try {
      scanner = createChunkScanner(msg.rules, msg.cfg);
    } catch (err) {
      post({ type: 'error', message: (err as Error).message });
    }
    return;
  }
  const chunk = msg.chunk;
  queue = queue
    .then(async () => {
      if (scanner === undefined) throw new Error('chunk before init');
      post(await scanner.scan(chunk));
    })
    .catch((err: unknown) => post({ type: 'error', message: (err as Error).message }));
});
