import { type FileHandle, open } from 'node:fs/promises';
import { readChunks } from '../chunks.ts';
import { isGzipStart, readContentHead } from './head.ts';

/**
 * A rotated file held open: what is read from it is what was identified, even if the
 * writer renames or replaces the name meanwhile (rotation goes on while we read).
 */
export interface OpenRotated {
  readonly path: string;
  readonly fh: FileHandle;
  /** `dev:ino:size:mtime`: the same file unchanged. */
  readonly id: string;
  readonly dev: bigint;
  readonly ino: bigint;
  readonly size: number;
  readonly gzip: boolean;
  /** The head of its content (gzip inflated). */
  readonly head: Buffer;
}

/** Opens a rotated file and identifies it; undefined when it is gone or not a file. */
export async function openRotated(path: string): Promise<OpenRotated | undefined> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const st = await fh.stat({ bigint: true });
    if (!st.isFile()) {
      await fh.close();
      return undefined;
    }
    const magic = Buffer.alloc(2);
    const { bytesRead } = await fh.read(magic, 0, 2, 0);
    return {
      path,
      fh,
      id: `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`,
      dev: st.dev,
      ino: st.ino,
      size: Number(st.size),
      gzip: isGzipStart(magic.subarray(0, bytesRead)),
      head: await readContentHead(fh),
    };
  } catch {
    await fh.close().catch(() => undefined);
    return undefined;
  }
}

/**
 * The content of an open rotated file from byte `from` on (of the inflated content for
 * gzip), in blocks. Leaves the handle open.
 */
export async function* readRotatedContent(f: OpenRotated, from: number): AsyncGenerator<Buffer> {
  // A plain file is read from `from`; a gzip one inflated from its start and skipped.
  let skip = f.gzip ? from : 0;
  const start = f.gzip ? 0 : from;
  const stream = f.fh.createReadStream({ start, autoClose: false, highWaterMark: 1 << 20 });
  for await (const chunk of readChunks(stream, f.path, f.gzip)) {
    if (skip >= chunk.length) {
      skip -= chunk.length;
      continue;
    }
    yield skip > 0 ? chunk.subarray(skip) : chunk;
    skip = 0;
  }
}
