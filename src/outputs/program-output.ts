import { type ChildProcess, spawn } from 'node:child_process';
import type { AlertFilterSpec } from './alert-filter.ts';
import type { AlertFormatOptions } from './alert-format.ts';
import { backoffDelay } from './backoff.ts';
import { createDeliveryQueue } from './delivery-queue.ts';
import { createMessageReporter } from './message-reporter.ts';
import { createOutputStats, type Output, type OutputHooks } from './output.ts';
import {
  closeTimeoutMs,
  DEFAULT_FLUSH_TIMEOUT_MS,
  DEFAULT_QUEUE_ALERTS,
} from './queue-defaults.ts';
import { createQueuedWrites } from './queued-writes.ts';
import { forwardStderr } from './stderr-lines.ts';

/** Options of a program output. */
export interface ProgramOutputOptions {
  /** Default: Falco's JSON alert, one per line. */
  readonly format?: AlertFormatOptions;
  readonly filter?: AlertFilterSpec;
  /** Alerts waiting before the oldest are dropped (default 10,000). */
  readonly queueSize?: number;
  /** Longest a flush waits for the program to read (default 10 s). */
  readonly flushTimeoutMs?: number;
  /** First restart delay after the program exits, doubled per quick exit (default 500 ms). */
  readonly restartBackoffMs?: number;
  /** Longest restart delay (default 30 s). */
  readonly maxRestartBackoffMs?: number;
  /** How long close waits for the program to exit once its stdin is closed (default 5 s). */
  readonly exitTimeoutMs?: number;
  readonly name?: string;
  readonly hooks?: OutputHooks;
}

/** Bytes handed to the pipe per write: the pipe buffer holds 64 KiB. */
const CHUNK_BYTES = 64 * 1024;
const QUEUE_BYTES = 64 * 1024 * 1024;
/** A program that ran this long before exiting restarts after the first delay again. */
const STABLE_MS = 10_000;
const KILL_GRACE_MS = 2000;

/**
 * Feeds alerts to a command's stdin, one per line, as Falco's program_output with
 * `keep_alive: true`: one long-lived `sh -c COMMAND`, restarted with backoff when it
 * exits while the output is open. Its stdout is discarded (/dev/null); its stderr is
 * reported through `hooks.onMessage`, line by line, bounded.
 *
 * Alerts wait in a bounded queue (the oldest dropped when full) and go to the pipe one
 * chunk at a time, the next only once the last was taken by the pipe: a program that
 * stops reading holds one chunk, never the pipeline. An alert counts delivered once it
 * is in the pipe; a chunk whose write failed (the program exited) counts failed. `flush`
 * is bounded as in DeliveryQueue.flush. `close` flushes (bounded), closes stdin, waits
 * for the program to exit, then sends SIGTERM and SIGKILL to its process group.
 *
 * @example
 * const out = createProgramOutput("jq -c '{text: .output}' >> /tmp/alerts", {});
 */
export function createProgramOutput(command: string, opts: ProgramOutputOptions = {}): Output {
  const formatOpts: AlertFormatOptions = opts.format ?? { format: 'json' };
  const name = opts.name ?? `program:${command}`;
  const stats = createOutputStats();
  const report = createMessageReporter(name, opts.hooks);
  const restartBackoff = {
    initialMs: opts.restartBackoffMs ?? 500,
    maxMs: opts.maxRestartBackoffMs ?? 30_000,
  };
  const flushTimeoutMs = opts.flushTimeoutMs ?? DEFAULT_FLUSH_TIMEOUT_MS;
  let child: ChildProcess | undefined;
  let startedAt = 0;
  let quickExits = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  let writing = false;
  let closed = false;
  let exited: (() => void) | undefined;

  const start = (): void => {
    restartTimer = undefined;
    startedAt = performance.now();
    // Its own process group, so close can stop the shell and what it started together.
    const c = spawn('sh', ['-c', command], { stdio: ['pipe', 'ignore', 'pipe'], detached: true });
    child = c;
    c.stdin?.on('error', () => {}); // EPIPE when it exits: the write's callback counts it
    if (c.stderr) forwardStderr(c.stderr, (line) => report(`stderr: ${line}`));
    let gone = false;
    const onGone = (why: string): void => {
      if (gone) return;
      gone = true;
      if (child === c) child = undefined;
      if (closed) {
        exited?.();
        return;
      }
      quickExits = performance.now() - startedAt < STABLE_MS ? quickExits + 1 : 0;
      const delay = backoffDelay(Math.max(0, quickExits - 1), restartBackoff);
      report(`${why}; restarting in ${Math.round(delay)} ms`);
      restartTimer = setTimeout(start, delay);
    };
    c.on('error', (err) => onGone(`cannot run sh: ${err.message}`));
    c.on('exit', (code, signal) =>
      onGone(signal !== null ? `exited on ${signal}` : `exited with status ${code}`),
    );
    pump();
  };

  const pump = (): void => {
    const stdin = child?.stdin;
    if (writing || stdin == null || !stdin.writable) return;
    const batch = queue.take(Number.POSITIVE_INFINITY, CHUNK_BYTES);
    if (batch.length === 0) return;
    writing = true;
    stdin.write(batch.map((b) => b.value).join(''), (err) => {
      writing = false;
      queue.settle(batch, err == null ? 'delivered' : 'failed');
      pump();
    });
  };

  const queue = createDeliveryQueue<string>({
    maxAlerts: opts.queueSize ?? DEFAULT_QUEUE_ALERTS,
    maxBytes: QUEUE_BYTES,
    flushTimeoutMs,
    stats,
    name,
    ...(opts.hooks !== undefined ? { hooks: opts.hooks } : {}),
    wake: pump,
  });
  const writes = createQueuedWrites({
    format: formatOpts,
    filter: opts.filter,
    queue,
    stats,
    isClosed: () => closed,
    newline: true,
  });

  const stop = async (): Promise<void> => {
    const c = child;
    if (c === undefined) return;
    const gone = new Promise<void>((resolve) => {
      exited = resolve;
    });
    const within = (ms: number) =>
      Promise.race([
        gone.then(() => true),
        new Promise<boolean>((r) => setTimeout(r, ms, false).unref()),
      ]);
    c.stdin?.end();
    if (await within(opts.exitTimeoutMs ?? 5000)) return;
    signalGroup(c, 'SIGTERM');
    if (await within(KILL_GRACE_MS)) return;
    signalGroup(c, 'SIGKILL');
    await gone;
  };

  start();
  return {
    name,
    stats,
    channel: writes.channel,
    get closed() {
      return closed;
    },
    write: writes.write,
    writeRendered: writes.writeRendered,
    flush: () => queue.flush(),
    async close() {
      if (closed) return;
      await queue.settleWithin(closeTimeoutMs(flushTimeoutMs));
      closed = true;
      queue.dropWaiting();
      if (restartTimer !== undefined) clearTimeout(restartTimer);
      await stop();
    },
  };
}

function signalGroup(c: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (c.pid !== undefined) process.kill(-c.pid, signal);
  } catch {
    // Already gone.
  }
}
