import { type FSWatcher, watch } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { CHUNK_BYTES } from './chunks.ts';
import { cutHead, isCompleteHead, readHeadOf, sameHead } from './follow/head.ts';
import { type FollowPosition, type FollowResume, headKey } from './follow/position.ts';
import { listRotated } from './follow/rotated.ts';
import { type OpenRotated, openRotated, readRotatedContent } from './follow/rotated-file.ts';
import { toInputError } from './input-error.ts';
import type { LineBatch, LineSplitter } from './line-splitter.ts';
import type { SourceBatch } from './source.ts';

/** How often the file is checked when fs.watch says nothing (it misses some events). */
export const POLL_MS = 250;
/**
 * A file rotated away by rename is still read for this long after it last grew: a
 * writer that reopens its log only on a signal (logrotate's `create` mode) keeps
 * appending to the old file for a moment.
 */
const OLD_FILE_GRACE_MS = 2000;
/** Contents remembered as read (rotated, copied, compressed), to never read them twice. */
const MAX_REMEMBERED = 256;
/** Looks for missed rotated files after one rotation (files move while they are read). */
const MISSED_PASSES = 3;

export interface FollowOptions {
  readonly fromStart: boolean;
  readonly signal?: AbortSignal;
  /**
   * What previous runs read (a state file): each content is read on from where they
   * committed it, those they never saw (rotated since) whole. Wins over `fromStart`.
   */
  readonly resume?: FollowResume;
  /**
   * Told the position after each batch once the pipeline commits it (its alerts
   * delivered): what a state file keeps for the next run.
   */
  readonly onCommit?: (position: FollowPosition) => void;
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

/** One content being read through an open file handle. */
interface Stream {
  readonly fh: FileHandle;
  readonly dev: bigint;
  readonly ino: bigint;
  /** Bytes of the content read so far. */
  pos: number;
  /** Its head (first line): who it is once renamed, copied or compressed. */
  head: Buffer;
  splitter: LineSplitter;
  /** When it last grew (for a file rotated away). */
  grewAt: number;
}

async function openStream(path: string, splitter: LineSplitter): Promise<Stream> {
  const fh = await open(path, 'r');
  try {
    const st = await fh.stat({ bigint: true });
    return { fh, dev: st.dev, ino: st.ino, pos: 0, head: Buffer.alloc(0), splitter, grewAt: 0 };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/** What happened to the followed path since the last look. */
type PathChange = 'same' | 'rotated' | 'rewritten' | 'missing';

/**
 * Follows a file like `tail -F`, and loses nothing across rotation: reads what is there
 * (from the start, or from the end when `fromStart` is false), then appended data as it
 * arrives. A content is known by its inode and by its head (its first line), so that:
 * - a file renamed away (rename rotation) is read to its end through the handle kept
 *   open, and for OLD_FILE_GRACE_MS after it last grew;
 * - files rotated in between two looks (two rotations, or more) are found next to the
 *   path (`audit.log.1`, `audit.log.2.gz`, `audit-<time>.log`), gzip or not, and read
 *   oldest first;
 * - a file truncated and rewritten (copytruncate, whatever the new size) has the rest of
 *   what was being read taken from the copy next to it, then is read from its start;
 * - nothing is read twice: contents already read, or there before following started,
 *   are recognised by their head.
 * Ends when `signal` aborts.
 */
export async function* followFile(
  path: string,
  newSplitter: (origin: string) => LineSplitter,
  opts: FollowOptions,
): AsyncGenerator<SourceBatch> {
  const { signal } = opts;
  // Rotated files already there are not ours to read (only what rotates from now on).
  // Their heads are taken now, before the file itself is opened: a rotation during the
  // start then shows as a content rotated after it, which is read, never as one before it.
  const beforeContents = await rotatedContents(path);
  let cur: Stream;
  try {
    cur = await openStream(path, newSplitter(path));
  } catch (err) {
    throw toInputError(err, path);
  }
  const buf = Buffer.allocUnsafe(CHUNK_BYTES);
  const seen = createSeenHeads();
  const beforeHeads = new Set(beforeContents.map((c) => c.head.toString('latin1')));
  const old: Stream[] = [];
  /** Rotated files read to their end, by identity, so a gzip is not inflated again. */
  const finished = new Set<string>();
  const waker = createWaker(path, signal);
  const { onCommit } = opts;

  /**
   * The batch with a commit that reports the position after it: the end of its last
   * whole line in the content known by `head` (a partial line is read again next time).
   */
  function committed(
    batch: LineBatch,
    id: { head: Buffer },
    splitter: LineSplitter,
    end: number,
  ): SourceBatch {
    if (onCommit === undefined || !isCompleteHead(id.head)) return batch;
    const position: FollowPosition = {
      head: headKey(id.head),
      offset: end - splitter.pendingBytes,
      line: splitter.linesRead,
    };
    return { ...batch, commit: async () => onCommit(position) };
  }

  /**
   * Reads `s` from its position to the current end of its file. Returns false, keeping
   * nothing of the last read, when the file turns out to have been truncated and written
   * again (its head changed): those bytes are the middle of another content.
   */
  async function* drain(s: Stream): AsyncGenerator<SourceBatch, boolean> {
    for (;;) {
      const { bytesRead } = await s.fh.read(buf, 0, buf.length, s.pos);
      if (bytesRead === 0) return true;
      if (s.head.length > 0 && !(await headStillAt(s))) return false;
      const chunk = buf.subarray(0, bytesRead);
      // The head is taken from the bytes read, never read again apart: reads run on other
      // threads while the writer goes on, and a head read later may be another content's.
      // A head read while its first line was being written is partial: it grows here
      // (its bytes up to the position are the file's, checked just above).
      if (!isCompleteHead(s.head) && s.pos <= s.head.length) {
        s.head = cutHead(Buffer.concat([s.head.subarray(0, s.pos), chunk]));
      }
      s.pos += bytesRead;
      s.grewAt = Date.now();
      const batch = s.splitter.push(chunk);
      if (batch !== undefined) yield committed(batch, s, s.splitter, s.pos);
      if (signal?.aborted) return true;
    }
  }

  /** Ends a content: its last line without newline becomes a line. */
  function* finish(s: Stream): Generator<SourceBatch> {
    const rest = s.splitter.end();
    if (rest !== undefined) yield committed(rest, s, s.splitter, s.pos);
    seen.add(s.head, s.pos);
  }

  /** Reads an open rotated file's content from `from` on with `splitter`; returns its length. */
  async function* readRotated(f: OpenRotated, from: number, splitter: LineSplitter) {
    let total = from;
    for await (const chunk of readRotatedContent(f, from)) {
      total += chunk.length;
      const batch = splitter.push(chunk);
      if (batch !== undefined) yield committed(batch, f, splitter, total);
    }
    return total;
  }

  /** Whether an open rotated file is a content we read, or must not read. */
  function isKnown(f: OpenRotated, open: readonly Stream[]): boolean {
    if (finished.has(f.id) || f.head.length === 0) return true;
    // The same file as a handle we read, or a copy of it (renamed, copied, gzipped).
    if (open.some((s) => (s.dev === f.dev && s.ino === f.ino) || sameHead(s.head, f.head))) {
      return true;
    }
    return beforeHeads.has(f.head.toString('latin1'));
  }

  /**
   * Reads the rotated files not read yet (rotated in between two looks), oldest first.
   * Each is opened before it is identified, so that rotation going on meanwhile cannot
   * swap one file for another under us; a file that moved to a name already passed is
   * found on the next pass.
   */
  async function* readMissed(): AsyncGenerator<SourceBatch> {
    const open = [cur, ...old];
    for (let pass = 0, found = true; found && pass < MISSED_PASSES; pass++) {
      found = false;
      for (const { path: p } of await listRotated(path)) {
        const f = await openRotated(p);
        if (f === undefined) continue;
        try {
          if (isKnown(f, open)) continue;
          const done = seen.get(f.head) ?? 0;
          if (!f.gzip && done >= f.size) {
            remember(finished, f.id);
            continue;
          }
          found = true;
          const splitter = newSplitter(p);
          const total = yield* readRotated(f, done, splitter);
          // Up to its last whole line: a copy still being written is read on later.
          seen.add(f.head, total - splitter.pendingBytes);
          remember(finished, f.id);
        } catch {
          // Unreadable (a gzip cut short): what was read stands.
        } finally {
          await f.fh.close().catch(() => undefined);
        }
      }
    }
  }

  /** After a truncation: the rest of `s` from its copy next to the path, if there is one. */
  async function* readCopyOf(s: Stream): AsyncGenerator<SourceBatch> {
    for (const { path: p } of (await listRotated(path)).reverse()) {
      const f = await openRotated(p);
      if (f === undefined) continue;
      try {
        if (!sameHead(f.head, s.head)) continue;
        s.pos = yield* readRotated(f, s.pos, s.splitter);
        remember(finished, f.id);
        return;
      } catch {
        return; // what was read stands
      } finally {
        await f.fh.close().catch(() => undefined);
      }
    }
  }

  /** What happened to the content being read, then to the path. */
  async function lookAtPath(s: Stream): Promise<PathChange> {
    // The content first: it may have been truncated (and even renamed away since).
    const size = Number((await s.fh.stat({ bigint: true })).size);
    if (size < s.pos || (s.head.length > 0 && !(await headStillAt(s)))) return 'rewritten';
    let st: Awaited<ReturnType<typeof stat>> & { ino: bigint; dev: bigint };
    try {
      st = await stat(path, { bigint: true });
    } catch {
      return 'missing'; // moved away and not yet recreated
    }
    return st.ino !== s.ino || st.dev !== s.dev ? 'rotated' : 'same';
  }

  /**
   * Resumes what previous runs read: each rotated content there at the start, oldest
   * first, is read on from its committed position, or whole when they never saw it and it
   * changed after they began (older ones were there before following began: not ours);
   * then the file's own content from its committed position, or from its start. What
   * rotates from now on is the main loop's, as always.
   */
  async function* resumeFrom(prev: FollowResume): AsyncGenerator<SourceBatch> {
    for (const { head, mtimeMs } of beforeContents) {
      if (!isCompleteHead(head)) continue;
      const done = prev.contents.get(headKey(head));
      if (done === undefined && mtimeMs < prev.since) continue;
      yield* readContent(head, done?.offset ?? 0, done?.line ?? 0);
    }
    const head = await readHeadOf(cur.fh);
    const done = isCompleteHead(head) ? prev.contents.get(headKey(head)) : undefined;
    const size = Number((await cur.fh.stat({ bigint: true })).size);
    if (done !== undefined && size >= done.offset) {
      cur.pos = done.offset;
      cur.head = head;
      cur.splitter.skipLines(done.line);
    }
  }

  /**
   * Reads a rotated content from `offset` to its end, wherever it is now: rotation may
   * have renamed or compressed it since the start, so it is looked for by its head.
   */
  async function* readContent(head: Buffer, offset: number, line: number) {
    for (const { path: p } of await listRotated(path)) {
      const f = await openRotated(p);
      if (f === undefined) continue;
      try {
        if (!sameHead(f.head, head) || (f.dev === cur.dev && f.ino === cur.ino)) continue;
        remember(finished, f.id);
        // Read to its end already: nothing to do (a gzip must be inflated to know).
        if (!f.gzip && offset >= f.size) return;
        const splitter = newSplitter(p);
        splitter.skipLines(line);
        const total = yield* readRotated(f, offset, splitter);
        const last = splitter.end();
        if (last !== undefined) yield committed(last, f, splitter, total);
        return;
      } catch {
        return; // unreadable (a gzip cut short): what was read stands
      } finally {
        await f.fh.close().catch(() => undefined);
      }
    }
  }

  try {
    if (opts.resume !== undefined) yield* resumeFrom(opts.resume);
    else if (!opts.fromStart) {
      cur.pos = Number((await cur.fh.stat({ bigint: true })).size);
      cur.head = await readHeadOf(cur.fh);
      // Line numbers stay true to the file: count the lines we skip.
      cur.splitter.skipLines(await countNewlines(cur.fh, buf, cur.pos));
    }
    while (!signal?.aborted) {
      const intact = yield* drain(cur);
      for (const s of [...old]) {
        const kept = yield* drain(s);
        if (!kept || Date.now() - s.grewAt > OLD_FILE_GRACE_MS) {
          yield* finish(s);
          old.splice(old.indexOf(s), 1);
          await s.fh.close().catch(() => undefined);
        }
      }
      if (signal?.aborted) return;
      const change = intact ? await lookAtPath(cur) : 'rewritten';
      if (change === 'rewritten') {
        // copytruncate: the rest of what we were reading is in the copy, up to its last
        // whole line (a copy still being written is read on later, as a missed file).
        yield* readCopyOf(cur);
        seen.add(cur.head, cur.pos - cur.splitter.pendingBytes);
        // Its new content is read through the handle: copies of it are not missed files.
        cur.splitter = newSplitter(path);
        cur.pos = 0;
        cur.head = await readHeadOf(cur.fh);
        yield* readMissed();
        continue;
      }
      if (change === 'rotated') {
        let next: Stream;
        try {
          next = await openStream(path, newSplitter(path));
        } catch {
          await waker.wait();
          continue;
        }
        // The old file is read to its end (and a little longer) through its handle.
        yield* drain(cur);
        cur.grewAt = Date.now();
        old.push(cur);
        cur = next;
        cur.head = await readHeadOf(cur.fh);
        yield* readMissed();
        continue;
      }
      await waker.wait();
    }
  } finally {
    waker.close();
    for (const s of [cur, ...old]) await s.fh.close().catch(() => undefined);
  }
}

/** A rotated content there at the start: its head, and when its file last changed. */
interface RotatedContent {
  readonly head: Buffer;
  readonly mtimeMs: number;
}

/**
 * The rotated contents next to `path`, oldest first, each identified through a handle
 * opened on it (so a name that changes hands meanwhile cannot mix two contents up).
 */
async function rotatedContents(path: string): Promise<RotatedContent[]> {
  const out: RotatedContent[] = [];
  for (const f of await listRotated(path)) {
    const o = await openRotated(f.path);
    if (o === undefined) continue;
    out.push({ head: o.head, mtimeMs: Number(f.mtimeNs / 1_000_000n) });
    await o.fh.close().catch(() => undefined);
  }
  return out;
}

/** Whether the file still starts with the head we saw (not truncated and rewritten). */
async function headStillAt(s: Stream): Promise<boolean> {
  const b = Buffer.alloc(s.head.length);
  const { bytesRead } = await s.fh.read(b, 0, b.length, 0);
  return bytesRead === b.length && b.equals(s.head);
}

/** Heads of contents read (or there before we started), with how far they were read. */
function createSeenHeads() {
  const read = new Map<string, number>();
  return {
    add(head: Buffer, bytes: number): void {
      if (head.length === 0) return;
      const key = head.toString('latin1');
      read.delete(key);
      read.set(key, Math.max(bytes, read.get(key) ?? 0));
      if (read.size > MAX_REMEMBERED) read.delete(read.keys().next().value as string);
    },
    get(head: Buffer): number | undefined {
      return read.get(head.toString('latin1'));
    },
  };
}

/** Adds to a bounded set, forgetting the oldest entry past MAX_REMEMBERED. */
function remember(set: Set<string>, key: string): void {
  set.add(key);
  if (set.size > MAX_REMEMBERED) set.delete(set.values().next().value as string);
}
