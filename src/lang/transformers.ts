import type { FieldValue } from '../fields/field.ts';
import type { TransformerName } from './ast.ts';

/** Lower-cases ASCII letters only, as C's tolower in Falco's "C" locale does. */
export function asciiLower(s: string): string {
  // The fast path covers pure-ASCII text, where toLowerCase is exactly ASCII lowering.
  return /[^\x00-\x7f]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s.toLowerCase();
}

export function asciiUpper(s: string): string {
  return /[^\x00-\x7f]/.test(s) ? s.replace(/[a-z]+/g, (m) => m.toUpperCase()) : s.toUpperCase();
}

const B64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard base64 decoding; undefined (absent) when the input is not valid base64. */
export function decodeBase64(s: string): string | undefined {
  if (!B64_RE.test(s)) return undefined;
  return Buffer.from(s, 'base64').toString('utf8');
}

export function baseName(s: string): string {
  return s.slice(s.lastIndexOf('/') + 1);
}

type StringFn = (s: string) => string | undefined;

const STRING_FNS: Readonly<Record<Exclude<TransformerName, 'len'>, StringFn>> = {
  tolower: asciiLower,
  toupper: asciiUpper,
  b64: decodeBase64,
  basename: baseName,
};

/** Known transformer names (`val` is not one: it only marks a field on the right side). */
export const TRANSFORMER_NAMES: readonly TransformerName[] = [
  'tolower',
  'toupper',
  'b64',
  'basename',
  'len',
];

export function isTransformerName(name: string): name is TransformerName {
  return (TRANSFORMER_NAMES as readonly string[]).includes(name);
}

/**
 * Applies a transformer to an extracted value. Absent in → absent out (so `len()` of an
 * absent field is absent, not 0). String transformers map each element of a list; an
 * element that fails (bad base64) is dropped, and a list left empty is absent. `len` gives
 * the UTF-8 byte length of a string (Falco's strings are bytes) or the element count.
 */
export function applyTransformer(name: TransformerName, v: FieldValue): FieldValue {
  if (v === undefined) return undefined;
  if (name === 'len') {
    return String(typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : v.length);
  }
  const fn = STRING_FNS[name];
  if (typeof v === 'string') return fn(v);
  const out: string[] = [];
  for (const e of v) {
    const t = fn(e);
    if (t !== undefined) out.push(t);
  }
  return out.length > 0 ? out : undefined;
}
