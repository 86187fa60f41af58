import { allIn, TOKEN } from './charsets.ts';
import type { Hit } from './finding.ts';

// Kinds whose characters are never shown, not even the last four: anything a person may
// have chosen, where a few characters narrow the guess.
const OPAQUE = new Set([
  'password',
  'password-in-url',
  'telegram-bot-token',
  'private-key',
  'gcp-service-account-key',
]);
const TAIL = 4;

/**
 * The masked preview of a hit: the format's public prefix (`AKIA`, `ghp_`, a PEM
 * header), then the last 4 characters of the 16 or more after it unless the kind is one
 * a person chooses (a password) or a whole file (a private key), then the length: `AKIA…WXYZ (20 chars)`,
 * `… (12 chars)`. Never the value.
 */
export function previewHit(text: string, hit: Hit): string {
  const n = hit.end - hit.start;
  const head = text.slice(hit.start, hit.start + hit.shown);
  const hidden = n - hit.shown;
  let tail = '';
  if (!OPAQUE.has(hit.kind) && hidden >= 16) {
    const t = text.slice(hit.end - TAIL, hit.end);
    if (allIn(t, TOKEN)) tail = t;
  }
  return `${head}…${tail} (${n} chars)`;
}

const PLACE_SAFE = /[^A-Za-z0-9._/-]/g;
const MAX_SEGMENT = 64;

/**
 * A key or name from the request as a segment of a place: characters outside
 * `A-Za-z0-9._/-` become `?` (places go into alert text, and `@`, `,`, `(` or spaces
 * would confuse their reading), at most 64 characters.
 */
export function placeSegment(s: string): string {
  const safe = s.replace(PLACE_SAFE, '?');
  return safe.length > MAX_SEGMENT ? `${safe.slice(0, MAX_SEGMENT - 1)}…` : safe;
}
