import { allIn, B64, HEX_DASH, TOKEN } from './charsets.ts';
import type { CredentialKey } from './key-names.ts';

// Values that say "no value here": defaults, booleans, masks, schema words.
const STOP_VALUES = new Set([
  'null',
  'nil',
  'none',
  'true',
  'false',
  'yes',
  'no',
  'on',
  'off',
  'required',
  'optional',
  'string',
  'text',
  'hidden',
  'redacted',
  'masked',
  'unset',
  'undefined',
  'empty',
  'default',
  'password',
  'passwd',
  'secret',
  'token',
]);

/**
 * True for templating and references rather than a value: `${VAR}`, `$(VAR)`, `{{ … }}`,
 * `<password>`, `%(x)s`, `#{x}`, YAML tags (`!Ref x`), masks (`****`, `xxxx`).
 */
export function isPlaceholder(v: string): boolean {
  const c = v.charCodeAt(0);
  // $ < ! # % *
  if (c === 0x24 || c === 0x3c || c === 0x21 || c === 0x23 || c === 0x25 || c === 0x2a) {
    return true;
  }
  if (v.includes('{{') || v.includes('${')) return true;
  return isOneCharRepeated(v);
}

function isOneCharRepeated(v: string): boolean {
  for (let i = 1; i < v.length; i++) if (v[i] !== v[0]) return false;
  return true;
}

const AUTH_SCHEME = /^(?:Bearer|Basic|Token|Bot) +/i;
const NUMBER = /^[+-]?\d[\d.,_]*$/;
const PATH = /^(?:\.{0,2}\/|~\/|file:)/;
const PLAIN_URL = /^[a-z][a-z0-9+.-]{0,31}:\/\/[^@\s]*$/i;
const ENV_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
const DOTTED_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/;
const LOWER_NAME = /^[a-z0-9]+(?:[-.][a-z0-9]+)*$/;

/**
 * The credential kind of `value` stored under a key classified as `key`, or undefined
 * when the value is not one: empty, a placeholder, a number, a path or URL without a
 * password, the name of an environment variable or a dotted reference. A password key
 * takes any other value of 4 to 128 characters on one line; a secret key also wants it to
 * look secret: 8 characters or more, no spaces, and not a lower-case object name
 * (`db-creds`) unless it is one long run (a lower-case hex key).
 */
export function kindForKeyValue(key: CredentialKey, value: string): string | undefined {
  // An Authorization header's value: the credential follows the scheme.
  const v = value.trim().replace(AUTH_SCHEME, '');
  if (v.length < 4 || v.length > 512 || v.includes('\n')) return undefined;
  if (STOP_VALUES.has(v.toLowerCase()) || isPlaceholder(v)) return undefined;
  if (NUMBER.test(v) || PATH.test(v) || PLAIN_URL.test(v)) return undefined;
  if (ENV_NAME.test(v) || DOTTED_IDENTIFIER.test(v)) return undefined;
  if (key.aws && v.length === 40 && allIn(v, B64)) return 'aws-secret-access-key';
  if (key.category === 'password') return v.length <= 128 ? 'password' : undefined;
  if (v.length < 8 || /\s/.test(v)) return undefined;
  if (LOWER_NAME.test(v) && (v.length < 20 || /[-.]/.test(v))) return undefined;
  return refineKind('secret', v);
}

// A Discord bot token: base64 of the bot's numeric id, a timestamp, an HMAC. Anchored and
// bounded, on one value of at most 512 characters.
const DISCORD_BOT_TOKEN = /^[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,40}$/;

/** A more precise kind for a `secret` or `high-entropy` value whose shape says what it is. */
export function refineKind(kind: string, v: string): string {
  return DISCORD_BOT_TOKEN.test(v) ? 'discord-bot-token' : kind;
}

/** Shannon entropy of `s` in bits per character. */
export function shannonEntropy(s: string): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

const DIGEST_PREFIX = /^sha(?:1|224|256|384|512)-/;
const WORDS = /[a-z]{4,}|[A-Z]{5,}/g;

/** Share of characters in runs that read like words: 4+ lower-case or 5+ upper-case letters. */
function wordShare(v: string): number {
  let inRuns = 0;
  for (const m of v.matchAll(WORDS)) inRuns += m[0].length;
  return inRuns / v.length;
}

/**
 * The entropy test for an unnamed secret: a single token of 20 to 200 base64/base64url
 * characters with upper- and lower-case letters and digits; not hexadecimal (digests,
 * UUIDs, pod-template hashes, commit ids), an SRI digest or base64 of JSON (`eyJ…`,
 * left by the JWT finder: a detached JWS signature); Shannon entropy at least
 * 85% of log2 of its length (capped at 4.6 bits); and under 40% of it in word-like runs
 * of letters. Measured on 4,000 random base62 and base64 strings per length: 89% of
 * 20-character ones pass, 95% of 32 to 40, 99% from 64 on; camel-case identifiers such
 * as `KubernetesDashboardV2Beta1Api` (59% in words) do not.
 */
export function looksRandom(v: string): boolean {
  const n = v.length;
  if (n < 20 || n > 200 || !allIn(v, TOKEN)) return false;
  if (allIn(v, HEX_DASH) || DIGEST_PREFIX.test(v)) return false;
  // Base64 of JSON: what the JWT finder did not take (a detached JWS signature) is no token.
  if (v.startsWith('eyJ')) return false;
  if (!/[A-Z]/.test(v) || !/[a-z]/.test(v) || !/\d/.test(v)) return false;
  if (shannonEntropy(v) < Math.min(0.85 * Math.log2(n), 4.6)) return false;
  return wordShare(v) < 0.4;
}
