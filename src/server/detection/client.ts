import { Worker } from 'node:worker_threads';
import type { LoadedRule } from '../../rules/index.ts';
import type { DetectionInit, DetectionProgress, FromDetection, ToDetection } from './messages.ts';

/** The main thread's handle on the detection thread. */
export interface DetectionThread {
  /** Resolves with the number of rules running once the thread is up. */
  readonly ready: Promise<number>;
  /** Tells the thread the webhook appended up to `head`. */
  appended(head: number): void;
  /** Sends new rules; resolves with the number running once it switched. */
  swap(rules: readonly LoadedRule[]): Promise<number>;
  /** Asks the thread to finish its batch and stop; resolves when it has. */
  stop(): Promise<void>;
  /** The last position detection committed (from its progress messages). */
  readonly committed: number;
}

export interface DetectionCallbacks {
  readonly onProgress: (p: DetectionProgress) => void;
  /** The thread failed or exited unexpectedly (detection has stopped). */
  readonly onFailure: (message: string) => void;
}

/**
 * Starts the detection thread (src/server/detection/thread.ts) and gives it the spool's
 * location, the detector configuration and the loaded rules.
 */
export function startDetectionThread(
  init: Omit<DetectionInit, 'type'>,
  cb: DetectionCallbacks,
): DetectionThread {
  // Not the parent's flags: they can be ones a worker refuses (`--input-type`, `-e`).
  const worker = new Worker(new URL('./detection-worker.mjs', import.meta.url), { execArgv: [] });
  const send = (m: ToDetection): void => worker.postMessage(m);
  let committed = 0;
  let stopped = false;
  let readyResolve: (n: number) => void = () => {};
  let readyReject: (e: Error) => void = () => {};
  const ready = new Promise<number>((res, rej) => {
    readyResolve = res;
    readyReject = rej;
  });
  const swaps: ((n: number) => void)[] = [];
  let onStopped: (() => void) | undefined;
  worker.on('message', (m: FromDetection) => {
    if (m.type === 'ready') readyResolve(m.rules);
    else if (m.type === 'progress') {
      committed = m.committed;
      cb.onProgress(m);
    } else if (m.type === 'swapped') swaps.shift()?.(m.rules);
    else if (m.type === 'error') {
      readyReject(new Error(m.message));
      cb.onFailure(m.message);
    } else if (m.type === 'stopped') {
      stopped = true;
      onStopped?.();
    }
  });
  worker.on('error', (err) => {
    readyReject(err);
    cb.onFailure(err.message);
  });
  worker.on('exit', (code) => {
    if (!stopped) cb.onFailure(`detection thread exited (${code})`);
    stopped = true;
    onStopped?.();
  });
  send({ type: 'init', ...init });
  return {
    ready,
    get committed() {
      return committed;
    },
    appended: (head) => send({ type: 'appended', head }),
    swap(rules) {
      return new Promise<number>((resolve) => {
        swaps.push(resolve);
        send({ type: 'rules', rules });
      });
    },
    async stop() {
      if (!stopped) {
        const done = new Promise<void>((r) => {
          onStopped = r;
        });
        send({ type: 'stop' });
        await done;
      }
      await worker.terminate();
    },
  };
}
