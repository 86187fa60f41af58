import { isAscii, isUtf8 } from 'node:buffer';

/**
 * Decodes a block of bytes known to hold whole lines, or returns undefined when it is
 * not valid UTF-8. Pure-ASCII blocks (nearly every audit log: Go escapes the rest) are
 * decoded as Latin-1, which gives the same string and skips the UTF-8 decoder: a plain
 * copy into a one-byte string, measured at half the cost of `toString('utf8')`.
 */
export function decodeBlock(block: Uint8Array): string | undefined {
  const buf = Buffer.from(block.buffer, block.byteOffset, block.byteLength);
  if (isAscii(buf)) return buf.toString('latin1');
  return isUtf8(buf) ? buf.toString('utf8') : undefined;
}
