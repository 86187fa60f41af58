/**
 * Sets of Unicode code points as sorted, disjoint, non-adjacent inclusive ranges
 * `[lo0, hi0, lo1, hi1, ...]`: the character classes of the regex parser.
 */
export type CharSet = readonly number[];

/** The largest code point (RE2's rune_max in UTF-8 mode). */
export const MAX_RUNE = 0x10ffff;

const NL = 0x0a;

/** Normalizes any list of ranges (unsorted, overlapping) into a CharSet. */
export function makeCharSet(ranges: readonly number[]): CharSet {
  const pairs: [number, number][] = [];
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    pairs.push([ranges[i] as number, ranges[i + 1] as number]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of pairs) {
    const last = out.length - 1;
    if (last > 0 && lo <= (out[last] as number) + 1) {
      out[last] = Math.max(out[last] as number, hi);
    } else {
      out.push(lo, hi);
    }
  }
  return out;
}

/** Every code point not in `set`. */
export function negateCharSet(set: CharSet): CharSet {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < set.length; i += 2) {
    const lo = set[i] as number;
    if (lo > next) out.push(next, lo - 1);
    next = (set[i + 1] as number) + 1;
  }
  if (next <= MAX_RUNE) out.push(next, MAX_RUNE);
  return out;
}

/** True when the two sets share a code point. */
export function charSetsIntersect(a: CharSet, b: CharSet): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const aHi = a[i + 1] as number;
    const bHi = b[j + 1] as number;
    if ((a[i] as number) <= bHi && (b[j] as number) <= aHi) return true;
    if (aHi < bHi) i += 2;
    else j += 2;
  }
  return false;
}

/** True when `set` holds code point `c`. */
export function charSetHas(set: CharSet, c: number): boolean {
  for (let i = 0; i < set.length; i += 2) {
    if (c < (set[i] as number)) return false;
    if (c <= (set[i + 1] as number)) return true;
  }
  return false;
}

/** RE2's `.` without the `s` flag: every code point but `\n`. */
export const DOT: CharSet = [0, NL - 1, NL + 1, MAX_RUNE];

/** The POSIX classes RE2 accepts inside brackets (`[[:alpha:]]`), ASCII only as in RE2. */
export const POSIX_CLASSES: ReadonlyMap<string, CharSet> = new Map<string, CharSet>([
  ['alnum', makeCharSet([0x30, 0x39, 0x41, 0x5a, 0x61, 0x7a])],
  ['alpha', makeCharSet([0x41, 0x5a, 0x61, 0x7a])],
  ['ascii', [0, 0x7f]],
  ['blank', makeCharSet([0x09, 0x09, 0x20, 0x20])],
  ['cntrl', makeCharSet([0, 0x1f, 0x7f, 0x7f])],
  ['digit', [0x30, 0x39]],
  ['graph', [0x21, 0x7e]],
  ['lower', [0x61, 0x7a]],
  ['print', [0x20, 0x7e]],
  ['punct', makeCharSet([0x21, 0x2f, 0x3a, 0x40, 0x5b, 0x60, 0x7b, 0x7e])],
  ['space', makeCharSet([0x09, 0x0d, 0x20, 0x20])],
  ['upper', [0x41, 0x5a]],
  ['word', makeCharSet([0x30, 0x39, 0x41, 0x5a, 0x61, 0x7a, 0x5f, 0x5f])],
  ['xdigit', makeCharSet([0x30, 0x39, 0x41, 0x46, 0x61, 0x66])],
]);
