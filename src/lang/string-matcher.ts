/** A compiled pattern (glob, regex): whether a whole value matches it. */
export interface StringMatcher {
  test(value: string): boolean;
}
