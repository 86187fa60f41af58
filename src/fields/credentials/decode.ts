import { isUtf8 } from 'node:buffer';
import { allIn, B64, B64URL, HEX_DASH } from './charsets.ts';

const HEAD = 1024;

// At most 5% control characters (tabs and line ends allowed), counted on the bytes: the
// costlier UTF-8 check is left for the rare bytes that pass. `high`: a byte ≥ 0x80 seen.
function isMostlyText(bytes: Buffer): { readonly text: boolean; readonly high: boolean } {
  let control = 0;
  let high = false;
  const limit = bytes.length / 20;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) {
      if (++control > limit) return { text: false, high };
    } else if (b >= 0x80) {
      high = true;
    }
  }
  return { text: true, high };
}

/**
 * The text a base64 (or base64url) value encodes, when it encodes text: valid UTF-8
 * with at most 5% control characters (tabs and newlines allowed). Undefined for binary
 * data and for anything that is not base64 of at least 16 characters.
 */
export function decodeBase64Text(value: string, minLength = 16): string | undefined {
  const v = value.trim();
  if (v.length < minLength) return undefined;
  const url = !allIn(v, B64);
  if (url && !allIn(v, B64URL)) return undefined;
  const pad = v.indexOf('=');
  if (pad !== -1 && (v.length - pad > 2 || v.at(-1) !== '=' || (v.length & 3) !== 0)) {
    return undefined;
  }
  if (pad === -1 && (v.length & 3) === 1) return undefined;
  // Hex (digests, UUIDs) is valid base64 too, but never encodes text.
  if (allIn(v, HEX_DASH)) return undefined;
  const encoding = url ? 'base64url' : 'base64';
  // A long value is judged on its first kilobyte before all of it is decoded: most values
  // that merely look like base64 (names, ids, binary data) are not text from the start.
  if (v.length > HEAD && !isMostlyText(Buffer.from(v.slice(0, HEAD), encoding)).text) {
    return undefined;
  }
  const bytes = Buffer.from(v, encoding);
  const { text, high } = isMostlyText(bytes);
  if (!text) return undefined;
  if (high && !isUtf8(bytes)) return undefined;
  return bytes.toString('utf8');
}

/** The parsed value of a string holding a JSON object or array, else undefined. */
export function parseJsonContainer(value: string): unknown {
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  const object = first === 0x7b && last === 0x7d;
  const array = first === 0x5b && last === 0x5d;
  if (!object && !array) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}
