import { spawn } from 'node:child_process';
import { closeSync, createReadStream, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** One run of a subprocess. */
export interface RunResult {
  readonly ms: number;
  /** Peak resident set size in KiB, when it could be measured. */
  readonly rssKb?: number;
  readonly exitCode: number;
  /** Lines written to stdout, and the last one (a count, for `--count`). */
  readonly stdoutLines: number;
  readonly lastLine: string;
  /** The end of stderr, for reporting a failing command. */
  readonly stderrTail: string;
}

const GNU_TIME = '/usr/bin/time';
const RSS_PRELOAD = pathToFileURL(join(import.meta.dirname, 'baselines/report-rss.mjs')).href;
let seq = 0;

/**
 * Runs `argv` and measures its wall time (spawn to exit) and peak RSS: through GNU time's
 * `%M` when /usr/bin/time exists, else, for node commands, a preload that reports
 * process.resourceUsage().maxRSS. Stdout goes to a temporary file, counted after the
 * run: read through a pipe, it cost this process CPU time while the command ran (30 MB
 * of alerts from a 930 MiB log), which a command using every core paid for.
 */
export function runMeasured(argv: readonly string[], cwd: string): Promise<RunResult> {
  const rssFile = join(tmpdir(), `kaudit-bench-${process.pid}-${seq++}.rss`);
  let cmd = [...argv];
  const env = { ...process.env };
  if (existsSync(GNU_TIME)) {
    cmd = [GNU_TIME, '-f', '%M', '-o', rssFile, ...cmd];
  } else if (cmd[0] === process.execPath) {
    cmd = [process.execPath, '--import', RSS_PRELOAD, ...cmd.slice(1)];
    env.KAUDIT_BENCH_RSS_FILE = rssFile;
  }
  const outFile = join(tmpdir(), `kaudit-bench-${process.pid}-${seq++}.out`);
  const out = openSync(outFile, 'w');
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(cmd[0] as string, cmd.slice(1), {
      cwd,
      env,
      stdio: ['ignore', out, 'pipe'],
    });
    let errTail = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      errTail = (errTail + chunk).slice(-2000);
    });
    const finish = async (exitCode: number): Promise<void> => {
      const ms = performance.now() - started;
      closeSync(out);
      let rssKb: number | undefined;
      try {
        const n = Number.parseInt(readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '', 10);
        if (Number.isFinite(n)) rssKb = n;
        rmSync(rssFile, { force: true });
      } catch {
        // No RSS figure for this run (the tool is missing or the command did not start).
      }
      const { lines, tail } = await countLines(outFile);
      rmSync(outFile, { force: true });
      const trimmed = tail.trimEnd();
      resolve({
        ms,
        ...(rssKb !== undefined ? { rssKb } : {}),
        exitCode,
        stdoutLines: lines,
        lastLine: trimmed.slice(trimmed.lastIndexOf('\n') + 1),
        stderrTail: errTail.trim(),
      });
    };
    let finished = false;
    const once = (code: number): void => {
      if (finished) return;
      finished = true;
      void finish(code);
    };
    child.on('error', (err) => {
      errTail = `${err.message}\n${errTail}`;
      once(127);
    });
    child.on('close', (code) => once(code ?? 1));
  });
}

/** Newlines in a file and its last 256 characters. */
async function countLines(file: string): Promise<{ lines: number; tail: string }> {
  let lines = 0;
  let tail = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8' })) {
    const text = chunk as string;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
    tail = (tail + text).slice(-256);
  }
  return { lines, tail };
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1
    ? (s[mid] as number)
    : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
