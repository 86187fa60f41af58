import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './shared.ts';

/**
 * Where the kaudit runs of a test cache loaded rules: the test runner's directory
 * (scripts/run-tests.mjs), or one of this process's, never the user's ~/.cache.
 */
export const TEST_CACHE_DIR =
  process.env.KAUDIT_CACHE_DIR ?? mkdtempSync(join(tmpdir(), 'kaudit-cache-'));

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    const m = e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs;
    if (m > newest) newest = m;
  }
  return newest;
}

/** Whether bin/kaudit runs the bundle (as it does after `npm run build`), as it decides. */
export function bundleIsFresh(): boolean {
  try {
    return (
      statSync(join(REPO_ROOT, 'dist', 'kaudit.mjs')).mtimeMs >= newestMtime(join(REPO_ROOT, 'src'))
    );
  } catch {
    return false;
  }
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs bin/kaudit as a subprocess, the way a user does, with TZ=UTC for stable times.
 * With `timeout` (ms) a run still going is killed and reported with code -1; `nodeArgs`
 * go to node itself (say `--max-old-space-size=256` to bound the run's memory).
 */
export function runKaudit(
  args: readonly string[],
  opts: {
    input?: string;
    env?: Record<string, string>;
    timeout?: number;
    uid?: number;
    nodeArgs?: readonly string[];
  } = {},
): CliRun {
  const bin = [...(opts.nodeArgs ?? []), join(REPO_ROOT, 'bin', 'kaudit')];
  const r = spawnSync(process.execPath, [...bin, ...args], {
    cwd: REPO_ROOT,
    input: opts.input ?? '',
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
    encoding: 'utf8',
    env: {
      ...process.env,
      TZ: 'UTC',
      FALCO_HOSTNAME: 'test-host',
      KAUDIT_CACHE_DIR: TEST_CACHE_DIR,
      ...opts.env,
    },
    maxBuffer: 64 * 1024 * 1024,
    ...(opts.timeout === undefined ? {} : { timeout: opts.timeout }),
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs bin/kaudit without blocking this process (spawnSync would): for tests whose
 * servers in this process must answer the run.
 */
export function runKauditAsync(
  args: readonly string[],
  opts: { input?: string; env?: Record<string, string> } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'kaudit'), ...args], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        TZ: 'UTC',
        FALCO_HOSTNAME: 'test-host',
        KAUDIT_CACHE_DIR: TEST_CACHE_DIR,
        ...opts.env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** A rules file holding one WARNING rule, `Any Delete` (ka.verb = delete), with `output`. */
export function anyDeleteRule(output: string, extra = ''): string {
  return `- rule: Any Delete\n  desc: d\n  condition: ka.verb = delete\n  output: ${output}\n  priority: WARNING\n  source: k8s_audit\n${extra}`;
}
