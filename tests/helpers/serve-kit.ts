import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_CACHE_DIR } from './cli.ts';
import { auditEvent } from './events.ts';
import { type ClientTls, request } from './http-request.ts';
import { type PromText, parsePromText } from './prom-text.ts';
import { REPO_ROOT } from './shared.ts';

/**
 * A rule that fires on every event with an auditID and prints it, so a file output
 * shows which events were detected, and how many times each.
 */
export const EVERY_EVENT_RULE = `- rule: Every event
  desc: fires on every event that has an auditID
  condition: ka.auditid exists
  output: "seen id=%ka.auditid stage=%ka.stage cluster=%ka.cluster.name"
  priority: NOTICE
  source: k8s_audit
`;

/** A fresh temporary directory for one test's files. */
export function tempDir(prefix = 'kaudit-serveqa-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes a rules file and returns its path. */
export function writeRules(dir: string, yaml: string, name = 'rules.yaml'): string {
  const p = join(dir, name);
  writeFileSync(p, yaml);
  return p;
}

/**
 * Falco JSON alerts as a file output wrote them (an absent file: none yet). Tests poll the
 * file while the server appends to it: a last line without its newline is still being
 * written and is left for the next read (a complete bad line still fails the parse).
 */
export function readAlerts(file: string): Record<string, unknown>[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The `ka.auditid` of each alert of `rule` in a file output, in file order. */
export function alertedIds(file: string, rule = 'Every event'): string[] {
  return readAlerts(file)
    .filter((a) => a.rule === rule)
    .map((a) => String((a.output_fields as Record<string, unknown>)['ka.auditid']));
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Reads /metrics and parses it (strictly: a malformed exposition throws). */
export async function scrape(port: number, tls?: ClientTls): Promise<PromText> {
  const r = await request({ port, path: '/metrics', ...(tls !== undefined ? { tls } : {}) });
  if (r.status !== 200) throw new Error(`/metrics answered ${r.status}: ${r.text}`);
  return parsePromText(r.text);
}

/** `n` distinct events whose auditIDs start with `prefix` (prefix-0, prefix-1, ...). */
export function numberedEvents(prefix: string, n: number, from = 0): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => auditEvent({ auditID: `${prefix}-${from + i}` }));
}

/** A kaudit run that ended (or was killed at the timeout). */
export interface FinishedRun {
  readonly code: number | null;
  readonly stderr: string;
  readonly stdout: string;
  readonly timedOut: boolean;
}

/**
 * Runs `kaudit serve ARGS` expecting it to exit by itself (a refused configuration); kills
 * it after `timeoutMs` so that a server that starts by mistake fails the test, not hangs it.
 */
export function runServeToExit(
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 20_000,
): FinishedRun {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'kaudit'), 'serve', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    env: { ...process.env, KAUDIT_CACHE_DIR: TEST_CACHE_DIR, FALCO_HOSTNAME: 'test-host', ...env },
  });
  return {
    code: r.status,
    stderr: r.stderr,
    stdout: r.stdout,
    timedOut: r.error !== undefined || r.signal === 'SIGKILL',
  };
}

/** A loopback port that was free a moment ago (bound to 0, then closed). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}
