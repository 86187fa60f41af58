/**
 * Serialises a JSON value the way some other (valid) producer might: shuffled member
 * order, whitespace between tokens, characters written as escapes (also inside keys),
 * and decoy duplicate members before or after the real one (after it, the decoy is what
 * JSON.parse keeps, and what a scanner must then report too).
 */
export interface VariantOptions {
  /** A random source in [0, 1). */
  readonly random: () => number;
  readonly shuffle?: boolean;
  readonly whitespace?: boolean;
  readonly escapes?: boolean;
  readonly duplicates?: boolean;
}

const WS = [' ', '\t', '  ', '\r'];

function ws(o: VariantOptions): string {
  return o.whitespace && o.random() < 0.3 ? (WS[Math.floor(o.random() * WS.length)] as string) : '';
}

function escapeChar(c: string, o: VariantOptions): string {
  if (c === '/' && o.random() < 0.5) return '\\/';
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

function str(s: string, o: VariantOptions): string {
  const plain = JSON.stringify(s);
  if (!o.escapes || o.random() >= 0.2) return plain;
  // Re-escape a few plain characters of the already valid JSON text.
  let out = '"';
  const inner = plain.slice(1, -1);
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i] as string;
    if (c === '\\') {
      const n = inner[i + 1] === 'u' ? 6 : 2;
      out += inner.slice(i, i + n);
      i += n - 1;
    } else {
      out += /[A-Za-z0-9/.]/.test(c) && o.random() < 0.3 ? escapeChar(c, o) : c;
    }
  }
  return `${out}"`;
}

function shuffled<T>(items: T[], o: VariantOptions): T[] {
  if (!o.shuffle) return items;
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(o.random() * (i + 1));
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

const DECOYS: readonly unknown[] = [
  'get',
  'system:anonymous',
  'pods',
  5,
  null,
  { username: 'x' },
  ['a'],
];

/** JSON text for `v` with the variations asked for. */
export function serializeVariant(v: unknown, o: VariantOptions): string {
  if (v === null || typeof v !== 'object') {
    return typeof v === 'string' ? str(v, o) : JSON.stringify(v);
  }
  if (Array.isArray(v)) {
    return `[${ws(o)}${v.map((x) => serializeVariant(x, o)).join(`${ws(o)},${ws(o)}`)}${ws(o)}]`;
  }
  const members: string[] = [];
  for (const [k, x] of shuffled(Object.entries(v as Record<string, unknown>), o)) {
    const member = (val: unknown): string =>
      `${str(k, o)}${ws(o)}:${ws(o)}${serializeVariant(val, o)}`;
    const decoy = o.duplicates && o.random() < 0.08;
    const after = o.random() < 0.5;
    const d = DECOYS[Math.floor(o.random() * DECOYS.length)];
    if (decoy && !after) members.push(member(d));
    members.push(member(x));
    if (decoy && after) members.push(member(d));
  }
  return `{${ws(o)}${members.join(`${ws(o)},${ws(o)}`)}${ws(o)}}`;
}
