import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './shared.ts';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs bin/kaudit as a subprocess, the way a user does, with TZ=UTC for stable times. */
export function runKaudit(
  args: readonly string[],
  opts: { input?: string; env?: Record<string, string> } = {},
): CliRun {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'kaudit'), ...args], {
    cwd: REPO_ROOT,
    input: opts.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC', FALCO_HOSTNAME: 'test-host', ...opts.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
