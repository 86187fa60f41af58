import { inSet, KEY_NAME, runLength } from './charsets.ts';
import { type Hit, overlapsHit, pushHit } from './finding.ts';
import { classifyKey } from './key-names.ts';
import { kindForKeyValue } from './values.ts';

// Words a credential key holds; classifyKey decides on the whole key around them.
const ANCHOR = /pass|pwd|secret|token|credential|creds|key|auth/gi;
const MAX_KEY = 96;
const MAX_VALUE = 256;
// Characters that end an unquoted value.
const VALUE_STOP = new Set([...' \t\r\n,;&"\'`)}]>'].map((c) => c.charCodeAt(0)));

/**
 * Appends a hit for every `key = value`, `key: value`, `"key": "value"`, `key := value`
 * or `key => value` in `text` whose key names a credential (classifyKey) and whose value
 * is one (kindForKeyValue). Values overlapping an earlier hit (a token the catalogue
 * already named) are left to it. Linear: after each anchor the search resumes past the
 * key (and its value), and every look around an anchor is bounded.
 */
export function findAssignments(text: string, hits: Hit[]): void {
  const re = ANCHOR;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const keyEnd = m.index + runLength(text, m.index, KEY_NAME, MAX_KEY + 1);
    re.lastIndex = keyEnd > m.index ? keyEnd : m.index + 1;
    let keyStart = m.index;
    while (
      keyStart > 0 &&
      m.index - keyStart < MAX_KEY &&
      inSet(KEY_NAME, text.charCodeAt(keyStart - 1))
    ) {
      keyStart--;
    }
    if (keyEnd - keyStart > MAX_KEY) continue;
    const key = classifyKey(text.slice(keyStart, keyEnd));
    if (key === undefined) continue;
    const value = readValue(text, keyEnd);
    if (value === undefined) continue;
    const kind = kindForKeyValue(key, text.slice(value.start, value.end));
    if (kind === undefined || overlapsHit(hits, value.start, value.end)) continue;
    pushHit(hits, { kind, start: value.start, end: value.end, shown: 0 });
    re.lastIndex = Math.max(re.lastIndex, value.end);
  }
}

interface Span {
  readonly start: number;
  readonly end: number;
}

// After a key: an optional closing quote, blanks, a separator (`=`, `:`, `:=`, `=>`),
// blanks, then a quoted value up to its quote on the same line or a bare one up to a stop.
function readValue(text: string, keyEnd: number): Span | undefined {
  let i = keyEnd;
  const q0 = text.charCodeAt(i);
  if (q0 === 0x22 || q0 === 0x27) i++;
  i = skipBlanks(text, i);
  const c = text.charCodeAt(i);
  if (c === 0x3d) {
    i += text.charCodeAt(i + 1) === 0x3e ? 2 : 1; // = or =>
  } else if (c === 0x3a) {
    i += text.charCodeAt(i + 1) === 0x3d ? 2 : 1; // : or :=
    // `key::value` or a URL (`token:https://…`) is no assignment.
    if (text.charCodeAt(i) === 0x3a || text.startsWith('//', i)) return undefined;
  } else {
    return undefined;
  }
  i = skipBlanks(text, i);
  const q = text.charCodeAt(i);
  if (q === 0x22 || q === 0x27 || q === 0x60) {
    const start = i + 1;
    const limit = Math.min(text.length, start + MAX_VALUE + 1);
    for (let j = start; j < limit; j++) {
      const d = text.charCodeAt(j);
      if (d === q) return { start, end: j };
      if (d === 0x0a) return undefined;
    }
    return undefined;
  }
  const bare = readBare(text, i);
  // `Authorization: Bearer <token>`: the credential is the word after the scheme.
  if (
    bare !== undefined &&
    text.charCodeAt(bare.end) === 0x20 &&
    AUTH_SCHEMES.has(text.slice(bare.start, bare.end).toLowerCase())
  ) {
    return readBare(text, bare.end + 1);
  }
  return bare;
}

const AUTH_SCHEMES = new Set(['bearer', 'basic', 'token', 'bot']);

function readBare(text: string, i: number): Span | undefined {
  const limit = Math.min(text.length, i + MAX_VALUE + 1);
  let j = i;
  while (j < limit && !VALUE_STOP.has(text.charCodeAt(j))) j++;
  if (j === limit && j < text.length) return undefined;
  return j > i ? { start: i, end: j } : undefined;
}

function skipBlanks(text: string, from: number): number {
  let i = from;
  const limit = Math.min(text.length, from + 8);
  while (i < limit && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09)) i++;
  return i;
}
