/**
 * Character classes as 128-entry lookup tables (ASCII only: no token format we know uses
 * anything else), tested with `inSet` in the scanners' hot loops instead of regular
 * expressions, so that every scan is one bounded pass over the text.
 */
export type Charset = Uint8Array;

/** A set of the given characters and `a-z`-style ranges. */
export function charsetOf(...ranges: string[]): Charset {
  const t = new Uint8Array(128);
  for (const r of ranges) {
    if (r.length === 3 && r[1] === '-') {
      for (let c = r.charCodeAt(0); c <= r.charCodeAt(2); c++) t[c] = 1;
    } else {
      for (let i = 0; i < r.length; i++) t[r.charCodeAt(i)] = 1;
    }
  }
  return t;
}

/** True when the UTF-16 code unit is in the (ASCII) set. */
export function inSet(set: Charset, code: number): boolean {
  return code < 128 && set[code] === 1;
}

export const DIGITS = charsetOf('0-9');
export const HEX = charsetOf('0-9', 'a-f', 'A-F');
export const HEX_LOWER = charsetOf('0-9', 'a-f');
/** Hex with dashes: digests, UUIDs. */
export const HEX_DASH = charsetOf('0-9', 'a-f', 'A-F', '-');
export const UPPER_ALNUM = charsetOf('A-Z', '0-9');
export const ALPHA = charsetOf('A-Z', 'a-z');
export const ALNUM = charsetOf('A-Z', 'a-z', '0-9');
export const ALNUM_UNDERSCORE = charsetOf('A-Z', 'a-z', '0-9', '_');
/** base64url (RFC 4648 §5): letters, digits, `-` and `_`. */
export const B64URL = charsetOf('A-Z', 'a-z', '0-9', '-_');
export const B64URL_DOT = charsetOf('A-Z', 'a-z', '0-9', '-_.');
/** Standard base64 with its padding. */
export const B64 = charsetOf('A-Z', 'a-z', '0-9', '+/=');
/** Slack tokens: alphanumeric segments joined by `-`. */
export const ALNUM_DASH = charsetOf('A-Z', 'a-z', '0-9', '-');
/** Webhook URL paths: IDs and secrets separated by `/`. */
export const URL_PATH = charsetOf('A-Z', 'a-z', '0-9', '-_/');
/** What may surround a token without being part of it: not a letter or digit. */
export const WORD = ALNUM;
/** The lower-case Bech32 alphabet of age keys, in upper case as age prints secret keys. */
export const BECH32_UPPER = charsetOf('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L');
/** Key names: identifiers as config formats write them (`db.password`, `DB_PASSWORD`). */
export const KEY_NAME = charsetOf('A-Z', 'a-z', '0-9', '_.-');
/** Characters of a value the entropy test looks at: base64, base64url, hex and `.~`. */
export const TOKEN = charsetOf('A-Z', 'a-z', '0-9', '+/=_.~-');

/** Length of the run of `set` characters starting at `from`, counting at most `limit`. */
export function runLength(text: string, from: number, set: Charset, limit: number): number {
  const end = Math.min(text.length, from + limit);
  let i = from;
  while (i < end && inSet(set, text.charCodeAt(i))) i++;
  return i - from;
}

/** True when every character of `s` is in `set`. */
export function allIn(s: string, set: Charset): boolean {
  for (let i = 0; i < s.length; i++) if (!inSet(set, s.charCodeAt(i))) return false;
  return true;
}
