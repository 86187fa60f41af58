import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { constants, gunzipSync } from 'node:zlib';

/**
 * The head of a log's content identifies it across renames, copies and compression:
 * its first line (an audit event carries a unique auditID and timestamp), at most this
 * many bytes.
 */
export const HEAD_BYTES = 1024;
/** Compressed bytes read to find the head of a gzip file (its first line inflates from them). */
const GZIP_PEEK_BYTES = 16 * 1024;

/** The head of `content`: up to and including its first newline, at most HEAD_BYTES. */
export function cutHead(content: Uint8Array): Buffer {
  const b = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  const nl = b.indexOf(0x0a);
  const end = nl === -1 ? Math.min(b.length, HEAD_BYTES) : Math.min(nl + 1, HEAD_BYTES);
  return Buffer.from(b.subarray(0, end));
}

/** A head is complete once it holds a whole first line (or HEAD_BYTES): it no longer grows. */
export function isCompleteHead(head: Buffer): boolean {
  return head.length === HEAD_BYTES || (head.length > 0 && head[head.length - 1] === 0x0a);
}

/** Two heads name the same content: equal, and not empty. */
export function sameHead(a: Buffer, b: Buffer): boolean {
  return a.length > 0 && a.equals(b);
}

/** The head of an open file, read at offset 0 (the file position is left alone). */
export async function readHeadOf(fh: FileHandle): Promise<Buffer> {
  const buf = Buffer.alloc(HEAD_BYTES);
  const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
  return cutHead(buf.subarray(0, bytesRead));
}

/** Whether bytes start with the gzip magic. */
export function isGzipStart(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** The head of an open file's content, inflating gzip; empty when it cannot be read. */
export async function readContentHead(fh: FileHandle): Promise<Buffer> {
  try {
    const buf = Buffer.alloc(GZIP_PEEK_BYTES);
    const { bytesRead } = await fh.read(buf, 0, GZIP_PEEK_BYTES, 0);
    const raw = buf.subarray(0, bytesRead);
    // A prefix of a gzip stream: inflate what it holds without asking for its end.
    return isGzipStart(raw)
      ? cutHead(gunzipSync(raw, { finishFlush: constants.Z_SYNC_FLUSH }))
      : cutHead(raw);
  } catch {
    return Buffer.alloc(0);
  }
}

/** The head of a file's content (see readContentHead); empty when it cannot be read. */
export async function readHeadOfPath(path: string): Promise<Buffer> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(path, 'r');
    return await readContentHead(fh);
  } catch {
    return Buffer.alloc(0);
  } finally {
    await fh?.close().catch(() => undefined);
  }
}
