import { type FSWatcher, watch } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { CHUNK_BYTES } from './chunks.ts';
import { toInputError } from './input-error.ts';
import type { LineBatch, LineSplitter } from './line-splitter.ts';

/** How often the file is checked when fs.watch says nothing (it misses some events). */
export const POLL_MS = 250;

type FileHandle = Awaited<ReturnType<typeof open>>;

export interface FollowOptions {
  readonly fromStart: boolean;
  readonly signal?: AbortSignal;
}

/** Resolves on a change in the file's directory, after POLL_MS, or on abort. */
function createWaker(path: string, signal: AbortSignal | undefined) {
  let wake: (() => void) | undefined;
  const fire = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  let watcher: FSWatcher | undefined;
  try {
    // The directory, not the file: a file watch stays on the old inode after rotation.
    const name = basename(path);
    watcher = watch(dirname(path), { persistent: false }, (_e, f) => {
      if (f === null || f === name) fire();
    });
    watcher.on('error', () => {
      watcher?.close();
      watcher = undefined;
    });
  } catch {
    // No inotify (limits, some filesystems): the poll timer alone still works.
  }
  signal?.addEventListener('abort', fire, { once: true });
  return {
    wait(): Promise<void> {
      if (signal?.aborted) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(fire, POLL_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    },
    close(): void {
      watcher?.close();
      signal?.removeEventListener('abort', fire);
    },
  };
}

async function countNewlines(fh: FileHandle, buf: Buffer, end: number): Promise<number> {
  let n = 0;
  for (let pos = 0; pos < end; ) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, end - pos), pos);
    if (bytesRead === 0) break;
    for (let i = buf.indexOf(10, 0); i !== -1 && i < bytesRead; i = buf.indexOf(10, i + 1)) n++;
    pos += bytesRead;
  }
  return n;
}

async function sameFile(path: string, ino: bigint, dev: bigint): Promise<boolean | undefined> {
  try {
    const st = await stat(path, { bigint: true });
    return st.ino === ino && st.dev === dev;
  } catch {
    return undefined; // moved away and not yet recreated
  }
}

/**
 * Follows a file like `tail -F`: reads what is there (from the start, or from the end
 * when `fromStart` is false), then appended data as it arrives. A file replaced by a new
 * one (rename rotation) is read to its end, then the path is reopened from offset 0;
 * a file that shrinks (copytruncate) is read again from 0. Ends when `signal` aborts.
 */
export async function* followFile(
  path: string,
  splitter: LineSplitter,
  opts: FollowOptions,
): AsyncGenerator<LineBatch> {
  const { signal } = opts;
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    throw toInputError(err, path);
  }
  const buf = Buffer.allocUnsafe(CHUNK_BYTES);
  const waker = createWaker(path, signal);
  try {
    let st = await fh.stat({ bigint: true });
    let pos = 0;
    if (!opts.fromStart) {
      pos = Number(st.size);
      // Line numbers stay true to the file: count the lines we skip.
      splitter.skipLines(await countNewlines(fh, buf, pos));
    }
    // Reads from `pos` to the current end of the open file.
    async function* drain(): AsyncGenerator<LineBatch> {
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead === 0) return;
        pos += bytesRead;
        const batch = splitter.push(buf.subarray(0, bytesRead));
        if (batch !== undefined) yield batch;
        if (signal?.aborted) return;
      }
    }
    while (!signal?.aborted) {
      yield* drain();
      if (signal?.aborted) return;
      const size = Number((await fh.stat({ bigint: true })).size);
      if (size < pos) {
        // copytruncate: the same file starts over.
        const rest = splitter.end();
        if (rest !== undefined) yield rest;
        splitter.restart();
        pos = 0;
        continue;
      }
      const same = await sameFile(path, st.ino, st.dev);
      if (same === false) {
        // Rotated: finish the old file, then read the new one from its start.
        let next: FileHandle;
        try {
          next = await open(path, 'r');
        } catch {
          await waker.wait();
          continue;
        }
        // Lines the writer added to the old file after our last read.
        yield* drain();
        const rest = splitter.end();
        if (rest !== undefined) yield rest;
        splitter.restart();
        await fh.close();
        fh = next;
        st = await fh.stat({ bigint: true });
        pos = 0;
        continue;
      }
      await waker.wait();
    }
  } finally {
    waker.close();
    await fh.close().catch(() => undefined);
  }
}
