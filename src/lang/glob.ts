import type { StringMatcher } from './string-matcher.ts';

/** One character of a glob between stars: a literal, `?`, or a bracket expression. */
type Unit =
  | { readonly kind: 'lit'; readonly code: number }
  | { readonly kind: 'any' }
  | { readonly kind: 'class'; readonly test: (code: number, folded: number) => boolean };

/** The characters between two stars; `lit` is their text when all are literals. */
interface Segment {
  readonly units: readonly Unit[];
  readonly lit: string | undefined;
}

/**
 * Compiles an fnmatch(3) pattern the way Falco's `glob`/`iglob` call fnmatch: without
 * FNM_PATHNAME (so `*` also matches `/`) or FNM_PERIOD, with FNM_CASEFOLD (ASCII, as in
 * the C locale) for `iglob`. `*` matches any run, `?` one character, `[...]` a bracket
 * expression (`!` or `^` negates, `]` first is literal, ranges with `-`, `[:alpha:]` and
 * the other POSIX classes), `\` makes the next character literal; an unclosed `[` is
 * literal and a trailing `\` matches itself, as in glibc.
 *
 * Matching never backtracks: the pattern is cut at its stars into fixed-length
 * segments; the first must match at the start, the last at the end, and each middle
 * one is searched leftmost after the previous (the leftmost place never loses). That
 * is O(value × pattern) at worst, where a regex translation took exponential time
 * (24 s per event for `*\/namespaces/*\/pods/*\/exec*` on a 40 KB URI).
 *
 * @example compileGlob('*\/pods/*\/exec*', false).test('/api/v1/namespaces/a/pods/b/exec') // true
 */
export function compileGlob(pattern: string, caseFold: boolean): StringMatcher {
  const segments = splitAtStars(parseGlob(pattern, caseFold));
  const fold = caseFold ? foldAscii : (s: string) => s;
  const head = segments[0] as Segment;
  if (segments.length === 1) {
    return { test: (v) => v.length === head.units.length && matchAt(head, fold(v), v, 0) };
  }
  const tail = segments[segments.length - 1] as Segment;
  const middle = segments.slice(1, -1);
  const minLength = segments.reduce((n, s) => n + s.units.length, 0);
  return {
    test: (v) => {
      if (v.length < minLength) return false;
      const f = fold(v);
      const end = v.length - tail.units.length;
      if (!matchAt(head, f, v, 0) || !matchAt(tail, f, v, end)) return false;
      let pos = head.units.length;
      for (const seg of middle) {
        const at = findSegment(seg, f, v, pos, end);
        if (at < 0) return false;
        pos = at + seg.units.length;
      }
      return true;
    },
  };
}

// C's tolower in the "C" locale: only A-Z change.
function foldAscii(s: string): string {
  return /[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s;
}
const foldCode = (c: number): number => (c >= 0x41 && c <= 0x5a ? c + 0x20 : c);

function matchAt(seg: Segment, folded: string, raw: string, at: number): boolean {
  const units = seg.units;
  for (let k = 0; k < units.length; k++) {
    const u = units[k] as Unit;
    if (u.kind === 'any') continue;
    const f = folded.charCodeAt(at + k);
    if (u.kind === 'lit' ? f !== u.code : !u.test(raw.charCodeAt(at + k), f)) return false;
  }
  return true;
}

/** The leftmost index in [from, end - length] where `seg` matches, or -1. */
function findSegment(seg: Segment, folded: string, raw: string, from: number, end: number): number {
  const last = end - seg.units.length;
  if (seg.lit !== undefined) {
    const at = folded.indexOf(seg.lit, from);
    return at !== -1 && at <= last ? at : -1;
  }
  for (let at = from; at <= last; at++) if (matchAt(seg, folded, raw, at)) return at;
  return -1;
}

function splitAtStars(units: readonly (Unit | 'star')[]): Segment[] {
  const segments: Segment[] = [];
  let current: Unit[] = [];
  const close = (): void => {
    const lit = current.every((u) => u.kind === 'lit')
      ? String.fromCharCode(...current.map((u) => (u as { code: number }).code))
      : undefined;
    segments.push({ units: current, lit });
    current = [];
  };
  for (const u of units) {
    if (u === 'star') close();
    else current.push(u);
  }
  close();
  return segments;
}

function parseGlob(pattern: string, caseFold: boolean): (Unit | 'star')[] {
  const out: (Unit | 'star')[] = [];
  const lit = (c: number): Unit => ({ kind: 'lit', code: caseFold ? foldCode(c) : c });
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === '*') {
      if (out[out.length - 1] !== 'star') out.push('star');
      i++;
    } else if (c === '?') {
      out.push({ kind: 'any' });
      i++;
    } else if (c === '\\') {
      // A trailing backslash matches itself, as glibc does.
      out.push(lit(pattern.charCodeAt(i + 1 < pattern.length ? i + 1 : i)));
      i += 2;
    } else if (c === '[') {
      const cls = readBracket(pattern, i, caseFold);
      out.push(cls === undefined ? lit(0x5b) : cls.unit);
      i = cls === undefined ? i + 1 : cls.end;
    } else {
      out.push(lit(pattern.charCodeAt(i)));
      i++;
    }
  }
  return out;
}

const CLASS_TESTS: Readonly<Record<string, (c: number) => boolean>> = {
  alnum: (c) => /[0-9A-Za-z]/.test(String.fromCharCode(c)),
  alpha: (c) => /[A-Za-z]/.test(String.fromCharCode(c)),
  blank: (c) => c === 0x20 || c === 0x09,
  cntrl: (c) => c < 0x20 || c === 0x7f,
  digit: (c) => c >= 0x30 && c <= 0x39,
  graph: (c) => c > 0x20 && c < 0x7f,
  lower: (c) => c >= 0x61 && c <= 0x7a,
  print: (c) => c >= 0x20 && c < 0x7f,
  punct: (c) => c > 0x20 && c < 0x7f && !/[0-9A-Za-z]/.test(String.fromCharCode(c)),
  space: (c) => c === 0x20 || (c >= 0x09 && c <= 0x0d),
  upper: (c) => c >= 0x41 && c <= 0x5a,
  xdigit: (c) => /[0-9A-Fa-f]/.test(String.fromCharCode(c)),
};

type ClassTest = (raw: number, folded: number) => boolean;

// A member test that can never hold: an unknown `[:name:]` (fnmatch fails on it).
const INVALID: ClassTest = () => false;

/**
 * Reads `[...]` at `start`; undefined when unclosed (then `[` is literal). Ranges and
 * characters compare the folded character with folded bounds under FNM_CASEFOLD, as
 * glibc does; an unknown `[:name:]` makes the expression match nothing (fnmatch fails).
 */
function readBracket(
  p: string,
  start: number,
  caseFold: boolean,
): { readonly unit: Unit; readonly end: number } | undefined {
  let i = start + 1;
  const negate = p[i] === '!' || p[i] === '^';
  if (negate) i++;
  const fold = caseFold ? foldCode : (c: number) => c;
  const items: ClassTest[] = [];
  let firstItem = true;
  while (i < p.length) {
    if (p[i] === ']' && !firstItem) {
      const test: ClassTest = items.includes(INVALID)
        ? INVALID
        : (raw, folded) => items.some((t) => t(raw, folded)) !== negate;
      return { unit: { kind: 'class', test }, end: i + 1 };
    }
    firstItem = false;
    const member = readMember(p, i, fold);
    items.push(member.test);
    i = member.end;
  }
  return undefined;
}

/** One member of a bracket expression at `i`: `[:name:]`, a character or a range. */
function readMember(
  p: string,
  i: number,
  fold: (c: number) => number,
): { readonly test: ClassTest; readonly end: number } {
  const close = p.startsWith('[:', i) ? p.indexOf(':]', i + 2) : -1;
  if (close !== -1) {
    const named = CLASS_TESTS[p.slice(i + 2, close)];
    return { test: named === undefined ? INVALID : (raw) => named(raw), end: close + 2 };
  }
  let k = p[i] === '\\' && i + 1 < p.length ? i + 1 : i;
  const lo = fold(p.charCodeAt(k));
  if (p[k + 1] !== '-' || p[k + 2] === undefined || p[k + 2] === ']') {
    return { test: (_raw, f) => f === lo, end: k + 1 };
  }
  k += 2;
  if (p[k] === '\\' && k + 1 < p.length) k++;
  const hi = fold(p.charCodeAt(k));
  // An inverted range matches nothing in glibc.
  return { test: (_raw, f) => lo <= f && f <= hi, end: k + 1 };
}
