import { open, stat } from 'node:fs/promises';
import { type InputError, toInputError } from './input-error.ts';
import { opensDocument } from './json-document.ts';
import { listInputs } from './list-inputs.ts';

/** A byte range of one input file; lines whose first byte lies in [start, end). */
export interface Chunk {
  readonly index: number;
  readonly path: string;
  readonly start: number;
  readonly end: number;
  /**
   * A file that cannot be split (gzip, a pretty-printed JSON document): one chunk covers
   * it, read whole (and decompressed) by the worker.
   */
  readonly gzip: boolean;
}

/** The largest chunk: a few in flight bound the buffered output. */
export const MAX_CHUNK_BYTES = 16 * 1024 * 1024;

/**
 * Whether a file must be read whole: gzip (`*.gz` or its magic bytes), or a
 * pretty-printed JSON document (json-document.ts), which no byte range can split.
 */
async function isWhole(path: string): Promise<boolean> {
  if (path.endsWith('.gz')) return true;
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(256);
    const { bytesRead } = await fh.read(b, 0, b.length, 0);
    if (bytesRead >= 2 && b[0] === 0x1f && b[1] === 0x8b) return true;
    const head = b.subarray(0, bytesRead).toString('utf8');
    const first = head.split('\n').find((l) => l.trim() !== '');
    return first !== undefined && head.includes('\n') && opensDocument(first);
  } finally {
    await fh.close();
  }
}

/** Chunks per thread: enough that threads finish close together, few enough to be cheap. */
const CHUNKS_PER_THREAD = 12;
const MIN_CHUNK_BYTES = 1024 * 1024;
/** How many full-size chunks per thread, at the end of the input, are cut in four. */
const FINE_TAIL_CHUNKS = 2;

/** The chunks of a parallel scan and the bytes they cover. */
export interface ChunkPlan {
  readonly chunks: Chunk[];
  readonly totalBytes: number;
  /** Inputs that could not be listed or opened: reported by the caller, not scanned. */
  readonly failed: readonly InputError[];
}

/**
 * Splits the input files into ordered byte-range chunks for `threads` scanning threads:
 * about a dozen per thread, between 1 and 16 MiB each, smaller towards the end. Returns
 * undefined when the inputs cannot be split (stdin, a FIFO, a device). Inputs that cannot be listed or
 * opened are left out and returned in `failed`, so that the others are still scanned.
 */
export async function planChunks(
  paths: readonly string[],
  threads: number,
): Promise<ChunkPlan | undefined> {
  if (paths.some((p) => p === '-')) return undefined;
  const files: { file: string; size: number; gzip: boolean }[] = [];
  const failed: InputError[] = [];
  // The same files in the same order as the single-threaded reader (and Falco).
  for (const { path: file } of await listInputs(paths, (e) => failed.push(e))) {
    try {
      const st = await stat(file);
      // A FIFO or device cannot be split, and opening one to sniff it would eat its
      // first bytes (or wait for a writer): such inputs are read by one thread.
      if (!st.isFile()) return undefined;
      files.push({ file, size: st.size, gzip: await isWhole(file) });
    } catch (err) {
      failed.push(toInputError(err, file));
    }
  }
  const totalBytes = files.reduce((n, f) => n + f.size, 0);
  // KAUDIT_CHUNK_BYTES fixes the split (tests use small chunks to exercise the pool).
  const fixedBytes = Number(process.env.KAUDIT_CHUNK_BYTES) || 0;
  const chunkBytes =
    fixedBytes ||
    Math.min(
      MAX_CHUNK_BYTES,
      Math.max(MIN_CHUNK_BYTES, Math.ceil(totalBytes / (threads * CHUNKS_PER_THREAD))),
    );
  // The last stretch of the input goes in quarter-size chunks: threads then finish within
  // a small chunk of each other rather than a large one (a two-thread scan of a 930 MiB
  // log waited up to 100 ms at the end for the other thread's last 16 MiB).
  const fineFrom =
    fixedBytes > 0 ? totalBytes : totalBytes - FINE_TAIL_CHUNKS * threads * chunkBytes;
  const fineBytes = Math.max(MIN_CHUNK_BYTES, Math.ceil(chunkBytes / 4));
  const chunks: Chunk[] = [];
  let before = 0;
  for (const { file, size, gzip } of files) {
    if (gzip) {
      chunks.push({ index: chunks.length, path: file, start: 0, end: size, gzip: true });
      before += size;
      continue;
    }
    let s = 0;
    do {
      const step = before + s >= fineFrom ? fineBytes : chunkBytes;
      const end = Math.min(size, s + step);
      chunks.push({ index: chunks.length, path: file, start: s, end, gzip: false });
      s = end;
    } while (s < size);
    before += size;
  }
  return { chunks, totalBytes, failed };
}
