import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_CACHE_DIR } from './cli.ts';
import { REPO_ROOT } from './shared.ts';

/** A `kaudit serve` process started by a test. */
export interface ServeProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly dataDir: string;
  /** Everything the process wrote to stderr so far (its JSON logs and messages). */
  stderr(): string;
  stdout(): string;
  /** SIGTERM, then the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the exit code when the process ends (for SIGKILL tests). */
  readonly exited: Promise<number | null>;
}

/**
 * Starts `bin/kaudit serve` on a free loopback port (unless `--listen` is given) with its
 * own data directory, and resolves once it says where it listens. Rejects with its stderr
 * when it exits first.
 */
export function startServe(
  args: readonly string[],
  opts: {
    dataDir?: string;
    env?: Record<string, string>;
    timeoutMs?: number;
    /** false: no `--listen 127.0.0.1:0` (the address comes from a config file or variable). */
    listen?: false;
  } = {},
): Promise<ServeProcess> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'kaudit-serve-'));
  const listen =
    args.includes('--listen') || opts.listen === false ? [] : ['--listen', '127.0.0.1:0'];
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'bin', 'kaudit'), 'serve', '--data-dir', dataDir, ...listen, ...args],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        TZ: 'UTC',
        FALCO_HOSTNAME: 'test-host',
        KAUDIT_CACHE_DIR: TEST_CACHE_DIR,
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  let out = '';
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (err += c));
  child.stdout?.setEncoding('utf8').on('data', (c: string) => (out += c));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kaudit serve did not start in time:\n${err}`));
    }, opts.timeoutMs ?? 30_000);
    const onData = (): void => {
      const m = /listening on (\S+):(\d+)/.exec(err);
      if (m === null) return;
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      resolve({
        child,
        port: Number(m[2]),
        dataDir,
        stderr: () => err,
        stdout: () => out,
        exited,
        stop: (signal = 'SIGTERM') => {
          child.kill(signal);
          return exited;
        },
      });
    };
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`kaudit serve exited (${code}) before listening:\n${err}`));
    });
  });
}

/** Builds an EventList body from event objects. */
export function eventList(items: readonly unknown[]): string {
  return JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items });
}
