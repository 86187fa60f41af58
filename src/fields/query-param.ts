/**
 * `ka.uri.param[key]`: the first value of a query parameter of the request URI, decoded
 * as Go's `url.ParseQuery` does (`+` is a space, `%XX` a byte). As upstream, a URI or
 * query that Go rejects (a control character, a bad `%` escape, a `;` separator) yields
 * no value at all, even for a well-formed parameter.
 */
export function readQueryParam(uri: string, key: string): string | undefined {
  const q = uri.indexOf('?');
  if (q < 0 || CONTROL_CHAR.test(uri)) return undefined;
  const hash = uri.indexOf('#');
  const noFragment = hash < 0 ? uri : uri.slice(0, hash);
  if (hash >= 0 && hash < q) return undefined;
  if (unescapeQuery(noFragment.slice(0, q), false) === undefined) return undefined;
  let found: string | undefined;
  let bad = false;
  for (const part of noFragment.slice(q + 1).split('&')) {
    if (part.includes(';')) {
      bad = true;
      continue;
    }
    if (part === '') continue;
    const eq = part.indexOf('=');
    const k = unescapeQuery(eq < 0 ? part : part.slice(0, eq), true);
    const v = unescapeQuery(eq < 0 ? '' : part.slice(eq + 1), true);
    if (k === undefined || v === undefined) {
      bad = true;
      continue;
    }
    if (found === undefined && k === key) found = v;
  }
  return bad ? undefined : found;
}

// Go's url.Parse rejects ASCII control characters anywhere in the URL.
const CONTROL_CHAR = /[\x00-\x1f\x7f]/;

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Percent-decodes `s` (and `+` when `plus`); undefined on a malformed escape. */
export function unescapeQuery(s: string, plus: boolean): string | undefined {
  if (!s.includes('%') && !(plus && s.includes('+'))) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37) {
      const hi = hexValue(s.charCodeAt(i + 1));
      const lo = hexValue(s.charCodeAt(i + 2));
      if (hi < 0 || lo < 0) return undefined;
      bytes.push(hi * 16 + lo);
      i += 2;
    } else if (c === 43 && plus) {
      bytes.push(32);
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      // Non-ASCII text passes through as its UTF-8 bytes (a surrogate pair is one char).
      const cp = s.codePointAt(i) ?? c;
      for (const b of Buffer.from(String.fromCodePoint(cp), 'utf8')) bytes.push(b);
      if (cp > 0xffff) i++;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
