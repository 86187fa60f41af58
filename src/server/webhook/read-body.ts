import { isAscii } from 'node:buffer';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Why a body could not be read: too large (413), or a broken gzip stream (400). */
export class BodyError extends Error {
  override readonly name = 'BodyError';
  constructor(
    readonly code: 'BODY_TOO_LARGE' | 'BAD_GZIP' | 'BODY_ABORTED',
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * Reads a request body to the end, gunzipping it when `gzip`, and fails as soon as more
 * than `limit` bytes arrived (before gunzip) or came out (after: a gzip bomb stops at the
 * limit, not at the end of the bomb).
 */
export async function readBody(stream: Readable, gzip: boolean, limit: number): Promise<Buffer> {
  const source: Readable = gzip ? stream.pipe(createGunzip()) : stream;
  const parts: Buffer[] = [];
  let size = 0;
  let raw = 0;
  if (gzip) {
    stream.on('data', (c: Buffer) => {
      raw += c.length;
      if (raw > limit)
        source.destroy(new BodyError('BODY_TOO_LARGE', `body over ${limit} bytes`, 413));
    });
  }
  try {
    for await (const chunk of source) {
      const c = chunk as Buffer;
      size += c.length;
      if (size > limit) {
        throw new BodyError(
          'BODY_TOO_LARGE',
          `body over ${limit} bytes${gzip ? ' after gunzip' : ''}`,
          413,
        );
      }
      parts.push(c);
    }
  } catch (err) {
    if (err instanceof BodyError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (gzip && typeof e.code === 'string' && e.code.startsWith('Z_')) {
      throw new BodyError('BAD_GZIP', `body is not valid gzip: ${e.message}`, 400);
    }
    throw new BodyError('BODY_ABORTED', `body not received: ${e.message}`, 400);
  } finally {
    if (gzip) source.destroy();
  }
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, size);
}

/**
 * A body as text. Invalid UTF-8 becomes U+FFFD, as Go's decoder does for the apiserver's
 * own input. A pure-ASCII body (nearly all of them: Go escapes the rest) is copied as
 * Latin-1, the same string without running the UTF-8 decoder over it.
 */
export function bodyText(body: Buffer, ascii = isAscii(body)): string {
  return ascii ? body.toString('latin1') : body.toString('utf8');
}

/**
 * The byte ranges `spans` ([start, end) pairs) of `body`, joined by newlines, in one copy:
 * the events of a batch as the spool stores them, without building the joined string.
 */
export function joinSpans(body: Buffer, spans: readonly number[]): Buffer {
  let size = spans.length / 2 - 1;
  for (let i = 0; i < spans.length; i += 2) size += (spans[i + 1] as number) - (spans[i] as number);
  const out = Buffer.allocUnsafe(Math.max(size, 0));
  let at = 0;
  for (let i = 0; i < spans.length; i += 2) {
    if (i > 0) out[at++] = 0x0a;
    at += body.copy(out, at, spans[i] as number, spans[i + 1] as number);
  }
  return out;
}
