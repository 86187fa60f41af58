import { once } from 'node:events';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { InputError, toInputError } from './input-error.ts';

/**
 * Read size: large chunks keep per-chunk overhead (promises, splitting) negligible. At
 * 1 MiB a decoded block is an external string (Node allocates Latin-1 strings of 1 MB or
 * more outside V8's heap), which V8 collects without major GCs: 512 KiB blocks, kept
 * on the heap, made `kaudit query` 20% slower. The parallel scan reads less at a time
 * (see read-range.ts), where external strings made memory creep across threads.
 */
export const CHUNK_BYTES = 1024 * 1024;

function isGzip(first: Buffer): boolean {
  return first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
}

function asBuffer(chunk: unknown): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
}

/** Feeds `first` and the rest of `source` through gunzip; yields the output. */
async function* gunzip(first: Buffer, rest: AsyncIterator<unknown>): AsyncGenerator<Buffer> {
  const gz = createGunzip({ chunkSize: 64 * 1024 });
  const feed = async (): Promise<void> => {
    if (!gz.write(first)) await once(gz, 'drain');
    for (;;) {
      const r = await rest.next();
      if (r.done) break;
      if (!gz.write(asBuffer(r.value))) await once(gz, 'drain');
    }
    gz.end();
  };
  feed().catch((err: unknown) => gz.destroy(err as Error));
  try {
    for await (const out of gz) yield out as Buffer;
  } finally {
    gz.destroy();
    await rest.return?.();
  }
}

/**
 * The bytes of a stream, gunzipped when it starts with the gzip magic bytes. Errors
 * (including a gzip that ends early) become InputError for `path`.
 */
export async function* readChunks(
  source: AsyncIterable<unknown>,
  path: string,
  expectGzip = false,
): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  try {
    const head = await it.next();
    if (head.done) {
      if (expectGzip) throw new InputError('GZIP_TRUNCATED', path);
      return;
    }
    const first = asBuffer(head.value);
    if (expectGzip && !isGzip(first)) throw new InputError('GZIP_CORRUPT', path, 'no gzip header');
    if (isGzip(first)) yield* gunzip(first, it);
    else {
      yield first;
      for (;;) {
        const r = await it.next();
        if (r.done) break;
        yield asBuffer(r.value);
      }
    }
  } catch (err) {
    throw toInputError(err, path);
  } finally {
    await it.return?.();
  }
}

/** Opens a file for a one-shot read; `*.gz` must be gzip, others are sniffed. */
export async function openFileChunks(path: string): Promise<AsyncGenerator<Buffer>> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, 'r');
    if ((await fh.stat()).isDirectory()) {
      await fh.close();
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    }
  } catch (err) {
    throw toInputError(err, path);
  }
  const stream = fh.createReadStream({ highWaterMark: CHUNK_BYTES, autoClose: true });
  return readChunks(stream, path, path.endsWith('.gz'));
}
