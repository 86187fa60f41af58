import { fieldConstraints } from '../engine/requirements.ts';
import type { Expr } from '../lang/ast.ts';

/**
 * Fields whose value is a top-level or near-top-level JSON string of the event, copied
 * verbatim: when a condition pins one to a set of values, a matching event's raw line
 * must contain one of those values as a JSON string token (`"create"`).
 */
// The stage is left out on purpose: nearly every line says "ResponseComplete", so a
// condition pinned only by its stage (Falco's "Disallowed K8s User") keeps almost every
// line, and 48 such checks per line cost more than they save (measured: +25% on the
// busy mix with Falco's rules, 5.6% of lines dropped).
const VERBATIM_FIELDS: ReadonlySet<string> = new Set([
  'ka.verb',
  'jevt.value[/verb]',
  'ka.user.name',
  'ka.target.resource',
  'ka.target.subresource',
  'ka.target.namespace',
  'ka.target.name',
  'ka.auth.decision',
]);

// Only plain tokens: a value JSON would escape, or one that could be written as a
// number, boolean or null (rendered the same as the string), cannot be searched verbatim.
const PLAIN = /^[A-Za-z][A-Za-z0-9._:@-]*$/;
const JSON_WORDS = new Set(['true', 'false', 'null']);

/**
 * True when the line holds a `\uXXXX` escape that could spell a character of a plain
 * token. Go's encoder escapes only `&`, `<`, `>` and U+2028/2029 (`\u0026` is in every
 * list request's URI), so most lines with escapes still take the literal test.
 */
function hasSpellingEscape(line: string): boolean {
  let i = line.indexOf('\\u');
  while (i !== -1) {
    const code = Number.parseInt(line.slice(i + 2, i + 6), 16);
    if (!(code === 0x26 || code === 0x3c || code === 0x3e || code === 0x2028 || code === 0x2029)) {
      return true;
    }
    i = line.indexOf('\\u', i + 2);
  }
  return false;
}

/** A quoted token to look for, and the part of it to look for first. */
interface Token {
  readonly lit: string;
  /** One character of `lit`, or all of it. */
  readonly anchor: string;
  /** Index of `anchor` in `lit`. */
  readonly at: number;
}

// Characters of plain tokens from rarest to most common in the generated busy log (JSON
// keys, names, hex ids, timestamps); any character not listed (upper case, `_`, `@`) is
// rarer still.
const COMMONNESS = 'xjzqwhgyv7k59368f.4blpm2uc1-0rdointsa:e';

/**
 * The token to search for `value`; a short one is anchored on its rarest character.
 * String#indexOf scans for the first character of a short pattern and checks every
 * occurrence of it: searched from its opening quote, `"exec"` stopped at each of the
 * hundreds of quotes of a line (56% of a `kaudit query` for exec or attach), where the
 * line holds a few `x`.
 */
function token(value: string): Token {
  const lit = `"${value}"`;
  // A long pattern is searched whole: V8 turns to Boyer-Moore-Horspool, which skips
  // ahead by its length, and its rarest character may still be common ("system:...").
  if (lit.length >= 10) return { lit, anchor: lit, at: 0 };
  let at = 1;
  for (let i = 1; i < lit.length - 1; i++) {
    if (COMMONNESS.indexOf(lit[i] as string) < COMMONNESS.indexOf(lit[at] as string)) at = i;
  }
  return { lit, anchor: lit[at] as string, at };
}

/**
 * Whether the token occurs in the line as a value, not only as an object key: pod
 * bodies carry `"exec":{…}` probes, which must not count for a subresource `exec`. An
 * occurrence followed (after blanks) by `:` is a key; any other counts.
 */
function hasValueToken(line: string, t: Token): boolean {
  const { lit, anchor, at } = t;
  for (let k = line.indexOf(anchor, at); k !== -1; k = line.indexOf(anchor, k + 1)) {
    const i = k - at;
    if (!line.startsWith(lit, i)) continue;
    let j = i + lit.length;
    let c = line.charCodeAt(j);
    while (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) c = line.charCodeAt(++j);
    if (c !== 0x3a) return true;
  }
  return false;
}

/**
 * A raw-line test cheaper than any parse: `false` means no condition can match the line,
 * because for some field every condition pins, none of the allowed values appears in
 * it as a JSON string. Only `"`-quoted plain tokens are searched, and a line holding a
 * `\u` escape that could spell one of their characters always passes. Returns undefined when no
 * condition pins a searchable field (the test would never say no).
 */
export function createLiteralFilter(
  conditions: readonly Expr[],
): ((line: string) => boolean) | undefined {
  const plans: (readonly (readonly Token[])[])[] = [];
  for (const cond of conditions) {
    const pinned = fieldConstraints(cond, (k) => (VERBATIM_FIELDS.has(k) ? k : undefined));
    const needs: Token[][] = [];
    for (const values of Object.values(pinned)) {
      const vs = [...values];
      if (vs.every((v) => PLAIN.test(v) && !JSON_WORDS.has(v))) needs.push(vs.map(token));
    }
    // A condition with nothing searchable may match any line: the filter cannot help.
    if (needs.length === 0) return undefined;
    plans.push(needs);
  }
  if (plans.length === 0) return undefined;
  return (line) => {
    if (hasSpellingEscape(line)) return true;
    for (const needs of plans) {
      let all = true;
      for (const alternatives of needs) {
        let any = false;
        for (const t of alternatives) {
          if (hasValueToken(line, t)) {
            any = true;
            break;
          }
        }
        if (!any) {
          all = false;
          break;
        }
      }
      if (all) return true;
    }
    return false;
  };
}
