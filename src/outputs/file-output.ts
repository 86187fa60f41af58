import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { type AlertFilterSpec, compileAlertFilter } from './alert-filter.ts';
import { type AlertFormatOptions, createAlertFormatter } from './alert-format.ts';
import { createDeliveryQueue } from './delivery-queue.ts';
import { matchWrittenTail } from './file-resume.ts';
import { createMessageReporter } from './message-reporter.ts';
import { createOutputStats, type Output, type OutputHooks } from './output.ts';
import {
  closeTimeoutMs,
  DEFAULT_FLUSH_TIMEOUT_MS,
  DEFAULT_QUEUE_ALERTS,
} from './queue-defaults.ts';
import { createQueuedWrites } from './queued-writes.ts';

/** Options of a file output. */
export interface FileOutputOptions {
  /** Default: Falco's JSON lines. */
  readonly format?: AlertFormatOptions;
  readonly filter?: AlertFilterSpec;
  /** Permissions of a file the output creates (default 0o600); an existing file keeps its own. */
  readonly mode?: number;
  /** Alerts waiting to be written before the oldest are dropped (default 10,000). */
  readonly queueSize?: number;
  /** Longest a flush waits for the disk (default 10 s). */
  readonly flushTimeoutMs?: number;
  readonly name?: string;
  readonly hooks?: OutputHooks;
}

/** One write(2) per this many bytes at most: one per alert would dominate a busy run. */
const CHUNK_BYTES = 1024 * 1024;
const QUEUE_BYTES = 64 * 1024 * 1024;

/**
 * Opens `path` for appending; a file it creates gets exactly `mode` (the umask could
 * have taken bits the user asked for, 0640 for a log reader's group).
 */
async function openForAppend(path: string, mode: number): Promise<FileHandle> {
  try {
    const fh = await open(
      path,
      constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_EXCL,
      mode,
    );
    await fh.chmod(mode);
    return fh;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return open(path, 'a');
  }
}

/**
 * Alerts appended to a file, one line each (Falco's JSON lines by default, or its text
 * line), written in chunks by one writer so lines never interleave. `reopen()` closes the
 * file and opens `path` again: after logrotate renamed it, the next alerts go to a new
 * file and none are lost (those written before the reopen went to the renamed one).
 *
 * Errors never throw: an alert that could not be written is counted failed and reported
 * through `hooks.onMessage`, and the next chunk opens the file again. `flush` resolves
 * once every alert written before it is on disk (or failed, or dropped), within the
 * flush timeout (see DeliveryQueue.flush).
 *
 * @example
 * const out = createFileOutput('/var/log/kaudit/alerts.json', { mode: 0o640 });
 * process.on('SIGHUP', () => void out.reopen?.());
 */
export function createFileOutput(path: string, opts: FileOutputOptions = {}): Output {
  const formatOpts: AlertFormatOptions = opts.format ?? { format: 'json' };
  const mode = opts.mode ?? 0o600;
  const name = opts.name ?? `file:${path}`;
  const stats = createOutputStats();
  const report = createMessageReporter(name, opts.hooks);
  let fh: FileHandle | undefined;
  let writing = false;
  let closed = false;
  // The file is opened at once (logrotate's `create` and readers expect it to exist).
  let reopenWanted = true;
  let reopened: (() => void)[] = [];

  const closeFile = async (): Promise<void> => {
    const old = fh;
    fh = undefined;
    try {
      await old?.close();
    } catch (err) {
      report(`cannot close ${path}: ${(err as Error).message}`);
    }
  };

  const openFile = async (): Promise<void> => {
    try {
      fh = await openForAppend(path, mode);
    } catch (err) {
      report(`cannot open ${path}: ${(err as Error).message}`);
    }
  };

  const drain = async (): Promise<void> => {
    for (;;) {
      if (reopenWanted) {
        reopenWanted = false;
        await closeFile();
        if (!closed) await openFile();
        for (const r of reopened) r();
        reopened = [];
      }
      const batch = queue.take(Number.POSITIVE_INFINITY, CHUNK_BYTES);
      if (batch.length === 0) return;
      if (fh === undefined) await openFile();
      if (fh === undefined) {
        queue.settle(batch, 'failed');
        continue;
      }
      try {
        await fh.appendFile(batch.map((b) => b.value).join(''));
        queue.settle(batch, 'delivered');
      } catch (err) {
        queue.settle(batch, 'failed');
        report(`cannot write ${path}: ${(err as Error).message}`);
        // A fresh open on the next chunk: the disk may have room again, the file a new home.
        await closeFile();
      }
    }
  };

  const pump = (): void => {
    if (writing) return;
    writing = true;
    void drain().finally(() => {
      writing = false;
      if (queue.waiting > 0 || reopenWanted) pump();
    });
  };

  const queue = createDeliveryQueue<string>({
    maxAlerts: opts.queueSize ?? DEFAULT_QUEUE_ALERTS,
    maxBytes: QUEUE_BYTES,
    flushTimeoutMs: opts.flushTimeoutMs ?? DEFAULT_FLUSH_TIMEOUT_MS,
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
  pump();

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
    async resume(alerts) {
      // The lines these alerts would have become; alerts the filter leaves out never
      // reach the file and count as written wherever they fall.
      const render = createAlertFormatter(formatOpts);
      const accept = opts.filter === undefined ? undefined : compileAlertFilter(opts.filter);
      const kept: number[] = [];
      const lines: string[] = [];
      alerts.forEach((a, i) => {
        if (accept !== undefined && !accept(a)) return;
        kept.push(i);
        lines.push(`${render(a)}\n`);
      });
      const written = await matchWrittenTail(path, lines);
      // Done: everything before the first alert that still has to be written.
      return kept[written] ?? alerts.length;
    },
    reopen() {
      if (closed) return Promise.resolve();
      return new Promise<void>((resolve) => {
        reopened.push(resolve);
        reopenWanted = true;
        pump();
      });
    },
    async close() {
      if (closed) return;
      await queue.settleWithin(closeTimeoutMs(opts.flushTimeoutMs ?? DEFAULT_FLUSH_TIMEOUT_MS));
      closed = true;
      queue.dropWaiting();
      // Closing goes through the writer, after the chunk it may be writing.
      await new Promise<void>((resolve) => {
        reopened.push(resolve);
        reopenWanted = true;
        pump();
      });
    },
  };
}
