import { decodeBase64Text, parseJsonContainer } from './decode.ts';
import { findAssignments } from './find-assignments.ts';
import { findShapes } from './find-shapes.ts';
import { findTokens } from './find-tokens.ts';
import type { Hit } from './finding.ts';
import { classifyKey } from './key-names.ts';
import { previewHit } from './redact.ts';
import { addFinding, type ScanState } from './scan-state.ts';
import { kindForKeyValue, looksRandom, refineKind } from './values.ts';

/** Walks a JSON value decoded from a string (JSON text inside a value). */
export type WalkDecoded = (st: ScanState, value: unknown, place: string, depth: number) => void;

/** Decodings stacked on one value: JSON in base64 in last-applied-configuration is 3. */
export const MAX_DECODE_DEPTH = 3;

const MIN_FINDER_TEXT = 8;
const BOOTSTRAP_TOKEN = /^[a-z0-9]{6}\.[a-z0-9]{16}$/;

/**
 * Scans one string value found at `place` under the key `key` (a map key, an env var's
 * name, the flag before an argument). In order: a JSON object or array in it is parsed
 * and walked (`place:` + its paths); else the catalogue's token formats, shapes and
 * `key=value` assignments are searched in it; if none is there, a value that is base64 of
 * text is decoded and scanned (`place(base64)`), one stored under a credential key name
 * is judged by that key, and any other is put to the entropy test.
 */
export function scanString(
  st: ScanState,
  place: string,
  value: string,
  key: string | undefined,
  depth: number,
  walk: WalkDecoded,
): void {
  if (st.stopped || value.length === 0) return;
  const room = st.limits.chars - st.chars;
  const text = value.length > room ? value.slice(0, room) : value;
  st.chars += text.length;
  if (text.length < value.length) st.stopped = true;

  if (depth < MAX_DECODE_DEPTH && text.length === value.length) {
    const parsed = parseJsonContainer(value.trim());
    if (parsed !== undefined) {
      walk(st, parsed, `${place}:`, depth + 1);
      return;
    }
  }
  const hits: Hit[] = [];
  // The shortest text any finder can match (`pwd=abcd`); below it only the key can tell.
  if (text.length >= MIN_FINDER_TEXT) {
    findTokens(text, hits);
    findShapes(text, hits);
    findAssignments(text, hits);
  }
  if (hits.length > 0) {
    // What the examined part holds is reported even when the budget ended inside it.
    for (const h of hits) if (!addFinding(st, h.kind, place, previewHit(text, h))) break;
    return;
  }
  const v = text.trim();
  if (v.length === 0) return;
  if (depth < MAX_DECODE_DEPTH) {
    const decoded = decodeBase64Text(v);
    if (decoded !== undefined) {
      scanString(st, `${place}(base64)`, decoded, key, depth + 1, walk);
      return;
    }
  }
  const kind = kindOfValue(key, v);
  if (kind !== undefined) {
    const lead = text.indexOf(v);
    addFinding(
      st,
      kind,
      place,
      previewHit(text, { kind, start: lead, end: lead + v.length, shown: 0 }),
    );
  }
}

// A whole value with no known token in it: judged by its key name when that names a
// credential, else by its shape.
function kindOfValue(key: string | undefined, v: string): string | undefined {
  const k = key === undefined ? undefined : classifyKey(key);
  if (k !== undefined) return kindForKeyValue(k, v);
  if (BOOTSTRAP_TOKEN.test(v) && /\d/.test(v.slice(7)) && /[a-z]/.test(v.slice(7))) {
    return 'kubernetes-bootstrap-token';
  }
  return looksRandom(v) ? refineKind('high-entropy', v) : undefined;
}
