/** A seeded pseudo-random source: same seed, same sequence, on every platform. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  /** Picks by weight: `[[w, value], ...]`. */
  weighted<T>(items: readonly (readonly [number, T])[]): T;
  /** Lowercase hex digits. */
  hex(n: number): string;
}

/**
 * mulberry32: 32-bit state, fast, good enough for test data (not for cryptography).
 *
 * @example createRng(1).int(10) // the same number for seed 1 every time
 */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    pick: (items) => items[int(items.length)] as (typeof items)[number],
    weighted(items) {
      let total = 0;
      for (const [w] of items) total += w;
      let x = next() * total;
      for (const [w, v] of items) {
        x -= w;
        if (x < 0) return v;
      }
      return (items[items.length - 1] as (typeof items)[number])[1];
    },
    hex(n) {
      let s = '';
      for (let i = 0; i < n; i++) s += '0123456789abcdef'[int(16)];
      return s;
    },
  };
}

/** A v4-shaped UUID from the generator. */
export function randomUuid(rng: Rng): string {
  const h = rng.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

const GO_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * JSON text as Go's encoding/json writes it: like JSON.stringify, plus `<`, `>`, `&`,
 * U+2028 and U+2029 escaped as \u00XX / \u20XX (HTML-safe escaping, Go's default).
 */
export function stringifyLikeGo(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c] ?? c);
}
