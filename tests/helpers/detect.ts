import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { TEST_CACHE_DIR } from './cli.ts';
import { REPO_ROOT } from './shared.ts';

/** A `kaudit detect` worker process started by a test. */
export interface DetectProcess {
  readonly child: ChildProcess;
  /** Where its /healthz, /readyz and /metrics answer. */
  readonly port: number;
  stderr(): string;
  /** Sends `signal` (SIGTERM by default) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  readonly exited: Promise<number | null>;
}

/** Starts `bin/kaudit detect ARGS --listen 127.0.0.1:0`; resolves once it says it is ready. */
export function startDetect(args: readonly string[], timeoutMs = 60_000): Promise<DetectProcess> {
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'bin', 'kaudit'), 'detect', '--listen', '127.0.0.1:0', ...args],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        TZ: 'UTC',
        FALCO_HOSTNAME: 'test-host',
        KAUDIT_CACHE_DIR: TEST_CACHE_DIR,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (err += c));
  child.stdout?.resume();
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kaudit detect did not start in time:\n${err}`));
    }, timeoutMs);
    const onData = (): void => {
      const m = /metrics on (\S+):(\d+)/.exec(err);
      if (m === null) return;
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      resolve({
        child,
        port: Number(m[2]),
        stderr: () => err,
        exited,
        stop: (signal = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`kaudit detect exited (${code}) before it was ready:\n${err}`));
    });
  });
}
