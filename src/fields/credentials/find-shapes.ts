import {
  ALNUM,
  B64,
  B64URL,
  B64URL_DOT,
  charsetOf,
  DIGITS,
  inSet,
  runLength,
  WORD,
} from './charsets.ts';
import { type Hit, overlapsHit, pushHit } from './finding.ts';
import { isPlaceholder } from './values.ts';

/*
 * Credentials recognised by their shape around a fixed anchor rather than by a prefix.
 * Every scanner walks the text once with indexOf and moves past what it examined, so
 * each is linear in the text whatever it holds.
 */

const PEM_TYPE = charsetOf('A-Z', '0-9', ' ');
const SCHEME = charsetOf('A-Z', 'a-z', '0-9', '+.-');
const AZURE_SECRET = charsetOf('A-Z', 'a-z', '0-9', '_~.-');
// Characters that end a URL's authority (userinfo and host) in text.
const URL_STOP = charsetOf('/?#"\'<>\\` \t\r\n');
const DSN_PART_STOP = charsetOf(':@/"\'=`; \t\r\n');

/** Appends the hits of every shape scanner. */
export function findShapes(text: string, hits: Hit[]): void {
  findPrivateKeys(text, hits);
  findEncodedPrivateKeys(text, hits);
  findJwts(text, hits);
  findTelegramTokens(text, hits);
  findAzureClientSecrets(text, hits);
  findUrlPasswords(text, hits);
  findDsnPasswords(text, hits);
  findServiceAccountJson(text, hits);
}

const BEGIN = '-----BEGIN ';

/** PEM private keys (`-----BEGIN [RSA |EC |OPENSSH |…]PRIVATE KEY[ BLOCK]-----`), PuTTY keys. */
function findPrivateKeys(text: string, hits: Hit[]): void {
  // The next `-----END` at or after the current header. Headers come in increasing order,
  // so each search starts past the previous answer and the searches together are linear.
  let endAt = -1;
  for (let i = text.indexOf(BEGIN); i !== -1; i = text.indexOf(BEGIN, i + 1)) {
    const headerEnd = pemLineEnd(text, i + BEGIN.length);
    if (headerEnd === -1) continue;
    if (endAt !== NO_END && endAt < headerEnd) {
      endAt = text.indexOf(END, headerEnd);
      if (endAt === -1) endAt = NO_END;
    }
    // The key block's length for the preview; without its END line, only the header.
    const close = endAt === NO_END ? -1 : pemLineEnd(text, endAt + END.length);
    const end = close === -1 ? headerEnd : close;
    pushHit(hits, { kind: 'private-key', start: i, end, shown: headerEnd - i });
    i = end - 1;
  }
  const putty = 'PuTTY-User-Key-File-';
  for (let i = text.indexOf(putty); i !== -1; i = text.indexOf(putty, i + putty.length)) {
    pushHit(hits, { kind: 'private-key', start: i, end: i + putty.length, shown: putty.length });
  }
}

const END = '-----END ';
const NO_END = Number.MAX_SAFE_INTEGER;

// After `-----BEGIN ` or `-----END `: a private-key label and the closing dashes; returns
// the index after them, or -1.
function pemLineEnd(text: string, from: number): number {
  const n = runLength(text, from, PEM_TYPE, 40);
  const label = text.slice(from, from + n);
  if (!/(?:^| )PRIVATE KEY(?: BLOCK)?$/.test(label)) return -1;
  return text.startsWith('-----', from + n) ? from + n + 5 : -1;
}

/** JSON Web Tokens: three base64url parts, the first a JSON header naming `alg`. */
function findJwts(text: string, hits: Hit[]): void {
  let i = text.indexOf('eyJ');
  while (i !== -1) {
    const n = runLength(text, i, B64URL_DOT, 16384);
    const next = i + Math.max(n, 3);
    // Glued to a longer run on the left: not a token of its own (and the run was seen).
    if (i === 0 || !inSet(B64URL_DOT, text.charCodeAt(i - 1))) {
      if (n < 16384 && isJwt(text.slice(i, i + n))) {
        pushHit(hits, { kind: 'jwt', start: i, end: i + n, shown: 3 });
      }
    }
    i = text.indexOf('eyJ', next);
  }
}

function isJwt(s: string): boolean {
  const parts = s.split('.');
  if (parts.length !== 3) return false;
  const [head, payload, sig] = parts as [string, string, string];
  if (head.length < 10 || payload.length < 10 || !payload.startsWith('eyJ')) return false;
  if (sig.length > 0 && sig.length < 16) return false;
  try {
    const header: unknown = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null && 'alg' in header;
  } catch {
    return false;
  }
}

/** Telegram bot tokens: `<8-10 digit bot id>:AA<33 base64url>`. */
function findTelegramTokens(text: string, hits: Hit[]): void {
  for (let i = text.indexOf(':AA'); i !== -1; i = text.indexOf(':AA', i + 3)) {
    let d = i;
    while (d > 0 && i - d <= 10 && inSet(DIGITS, text.charCodeAt(d - 1))) d--;
    const digits = i - d;
    if (digits < 8 || digits > 10) continue;
    if (d > 0 && inSet(WORD, text.charCodeAt(d - 1))) continue;
    const n = runLength(text, i + 1, B64URL, 36);
    if (n !== 35) continue;
    pushHit(hits, { kind: 'telegram-bot-token', start: d, end: i + 1 + n, shown: 0 });
  }
}

/** Microsoft Entra (Azure AD) client secrets: `xxx` + digit + `Q~` + 31 to 34 characters. */
function findAzureClientSecrets(text: string, hits: Hit[]): void {
  for (let i = text.indexOf('Q~'); i !== -1; i = text.indexOf('Q~', i + 2)) {
    const start = i - 4;
    if (start < 0 || !inSet(DIGITS, text.charCodeAt(i - 1))) continue;
    if (runLength(text, start, AZURE_SECRET, 3) !== 3) continue;
    if (start > 0 && inSet(AZURE_SECRET, text.charCodeAt(start - 1))) continue;
    const n = runLength(text, i + 2, AZURE_SECRET, 35);
    if (n < 31 || n > 34) continue;
    pushHit(hits, { kind: 'azure-ad-client-secret', start, end: i + 2 + n, shown: 0 });
  }
}

/** `scheme://user:password@host`: the password (or a token standing in the user part). */
function findUrlPasswords(text: string, hits: Hit[]): void {
  for (let i = text.indexOf('://'); i !== -1; i = text.indexOf('://', i + 3)) {
    if (!hasScheme(text, i)) continue;
    const auth = readUserinfo(text, i + 3);
    // Without an `@` the scan stopped at a stop character or the next `://` at the latest,
    // so the regions scanned from successive anchors do not overlap.
    if (auth === undefined) continue;
    const { colon, at } = auth;
    const pass = colon === -1 ? '' : text.slice(colon + 1, at);
    // A known token as the password (`x-access-token:ghs_…@`) is reported as that token.
    if (pass === '' || isPlaceholder(pass) || overlapsHit(hits, colon + 1, at)) continue;
    pushHit(hits, { kind: 'password-in-url', start: colon + 1, end: at, shown: 0 });
    i = at - 2;
  }
}

// A scheme of 1 to 32 characters starting with a letter or digit ends at `i` (the `://`).
function hasScheme(text: string, i: number): boolean {
  let s = i;
  while (s > 0 && i - s < 32 && inSet(SCHEME, text.charCodeAt(s - 1))) s--;
  return s < i && inSet(ALNUM, text.charCodeAt(s));
}

// The userinfo after `scheme://`: the first `:` in it (-1 if none) and the `@` that ends
// it, followed by a host; undefined when the authority ends first.
function readUserinfo(text: string, from: number): { colon: number; at: number } | undefined {
  const limit = Math.min(text.length, from + 512);
  let colon = -1;
  for (let j = from; j < limit; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x40) {
      const host = j + 1 < text.length && inSet(HOST_START, text.charCodeAt(j + 1));
      return host ? { colon, at: j } : undefined;
    }
    if (c === 0x3a && colon === -1) colon = j;
    if (inSet(URL_STOP, c)) return undefined;
  }
  return undefined;
}

const HOST_START = charsetOf('A-Z', 'a-z', '0-9', '[');

/** Go MySQL driver DSNs without a scheme: `user:password@tcp(host:3306)/db`. */
function findDsnPasswords(text: string, hits: Hit[]): void {
  for (const anchor of ['@tcp(', '@unix(']) {
    for (let i = text.indexOf(anchor); i !== -1; i = text.indexOf(anchor, i + anchor.length)) {
      let p = i;
      while (p > 0 && i - p <= 128 && !inSet(DSN_PART_STOP, text.charCodeAt(p - 1))) p--;
      if (p === i || p === 0 || text.charCodeAt(p - 1) !== 0x3a) continue;
      const userEnd = p - 1;
      let u = userEnd;
      while (u > 0 && userEnd - u <= 64 && !inSet(DSN_PART_STOP, text.charCodeAt(u - 1))) u--;
      if (u === userEnd) continue;
      const pass = text.slice(p, i);
      if (isPlaceholder(pass) || overlapsHit(hits, p, i)) continue;
      pushHit(hits, { kind: 'password-in-url', start: p, end: i, shown: 0 });
    }
  }
}

const SA_TYPE = /"type"\s{0,8}:\s{0,8}"service_account"/;

/**
 * A Google service-account key file (JSON with `"type": "service_account"` and a
 * `"private_key"`) in text that did not parse as JSON on its own; the walker recognises
 * parsed ones. It replaces the private-key hit the key inside would give.
 */
function findServiceAccountJson(text: string, hits: Hit[]): void {
  const at = text.indexOf('"service_account"');
  if (at === -1 || !text.includes('"private_key"')) return;
  const from = Math.max(0, at - 40);
  if (!SA_TYPE.test(text.slice(from, at + 17))) return;
  for (let k = hits.length - 1; k >= 0; k--) {
    if ((hits[k] as Hit).kind === 'private-key') hits.splice(k, 1);
  }
  pushHit(hits, { kind: 'gcp-service-account-key', start: 0, end: text.length, shown: 0 });
}

// base64 of `-----BEGIN`: a PEM key base64-encoded once more (kubeconfig `client-key-data`,
// a key pasted into a text as base64).
const ENCODED_BEGIN = 'LS0tLS1CRUdJTi';

/** Base64-encoded PEM private keys inside a text. */
function findEncodedPrivateKeys(text: string, hits: Hit[]): void {
  let i = text.indexOf(ENCODED_BEGIN);
  while (i !== -1) {
    const n = runLength(text, i, B64, 65536);
    // Only the first 64 encoded characters are decoded: they hold the header.
    const head = Buffer.from(text.slice(i, i + Math.min(n, 64)), 'base64').toString('latin1');
    if (/^-----BEGIN [A-Z0-9 ]{0,30}PRIVATE KEY/.test(head)) {
      pushHit(hits, { kind: 'private-key', start: i, end: i + n, shown: 0 });
    }
    i = text.indexOf(ENCODED_BEGIN, i + Math.max(n, 1));
  }
}
