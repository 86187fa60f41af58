/**
 * Numeric comparison for uint64 operands (`len()`, numeric fields). Values arrive as
 * decimal strings; integers beyond 2^53 compare as bigints so nanosecond timestamps keep
 * their precision.
 */
export type Numeric = number | bigint;

export function toNumeric(s: string): Numeric | undefined {
  if (s.trim() === '') return undefined;
  const n = Number(s);
  if (Number.isNaN(n)) return undefined;
  if (!Number.isInteger(n) || Number.isSafeInteger(n)) return n;
  try {
    return BigInt(s.trim());
  } catch {
    return n;
  }
}

/** -1, 0 or 1; number and bigint mix correctly under `<` and `>`. */
export function compareNumeric(a: Numeric, b: Numeric): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Applies a comparison operator to a numeric value; false for non-comparison operators. */
export function testNumeric(op: string, a: Numeric, b: Numeric): boolean {
  const c = compareNumeric(a, b);
  switch (op) {
    case '=':
    case '==':
    case 'in':
    case 'intersects':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    default:
      return false;
  }
}
