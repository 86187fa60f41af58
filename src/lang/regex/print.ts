import { type CharSet, MAX_RUNE, negateCharSet } from './charset.ts';
import type { RegexNode } from './parse.ts';

/** How one engine spells a code point, an inline `^`/`$` with RE2's line semantics, a group. */
interface Dialect {
  readonly char: (c: number) => string;
  readonly bol: string;
  readonly eol: string;
}

// Letters, digits and `_` mean themselves everywhere in both syntaxes; the rest is escaped.
const isPlain = (c: number): boolean => c < 0x80 && /[A-Za-z0-9_]/.test(String.fromCharCode(c));

/** V8 with the `u` flag: `\u{...}` escapes; `^`/`$` never reach it (see findBacktrackSafe). */
const V8: Dialect = {
  char: (c) => (isPlain(c) ? String.fromCharCode(c) : `\\u{${c.toString(16)}}`),
  bol: '(?<![^\\n])',
  eol: '(?![^\\n])',
};

/** RE2's Perl syntax as re2js reads it: `\x{...}` escapes, multi-line anchors by flag group. */
const RE2: Dialect = {
  char: (c) => (isPlain(c) ? String.fromCharCode(c) : `\\x{${c.toString(16)}}`),
  bol: '(?m:^)',
  eol: '(?m:$)',
};

/**
 * The pattern in V8's syntax, for `new RegExp(`^(?:${src})$`, 'u')`: every construct
 * spelled out (`.` is `[^\n]`, classes as explicit ranges) so that V8 and RE2 mean the same.
 */
export function printV8Regex(node: RegexNode): string {
  return print(node, V8);
}

/** The pattern in RE2's default (Perl) syntax with the meaning it had in POSIX syntax. */
export function printRe2Regex(node: RegexNode): string {
  return print(node, RE2);
}

function print(node: RegexNode, d: Dialect): string {
  switch (node.kind) {
    case 'empty':
      return '(?:)';
    case 'chars':
      return printSet(node.set, d);
    case 'bol':
      return d.bol;
    case 'eol':
      return d.eol;
    case 'concat':
      return node.items.map((n) => print(n, d)).join('');
    case 'alt':
      return `(?:${node.items.map((n) => print(n, d)).join('|')})`;
    case 'repeat': {
      const sub = print(node.sub, d);
      const atom = node.sub.kind === 'chars' ? sub : `(?:${sub})`;
      return `${atom}${quantifier(node.min, node.max)}`;
    }
  }
}

function quantifier(min: number, max: number): string {
  if (max === -1) return min === 0 ? '*' : min === 1 ? '+' : `{${min},}`;
  if (min === 0 && max === 1) return '?';
  return min === max ? `{${min}}` : `{${min},${max}}`;
}

function printSet(set: CharSet, d: Dialect): string {
  if (set.length === 2 && set[0] === set[1]) return d.char(set[0] as number);
  // A set reaching the last code point (`.`, `[^a]`) is shorter and faster negated.
  if (set.length > 0 && set[set.length - 1] === MAX_RUNE) {
    const neg = negateCharSet(set);
    if (neg.length === 0) return `[${d.char(0)}-${d.char(MAX_RUNE)}]`;
    return `[^${ranges(neg, d)}]`;
  }
  if (set.length === 0) return `[^${d.char(0)}-${d.char(MAX_RUNE)}]`;
  return `[${ranges(set, d)}]`;
}

function ranges(set: CharSet, d: Dialect): string {
  let out = '';
  for (let i = 0; i < set.length; i += 2) {
    const lo = set[i] as number;
    const hi = set[i + 1] as number;
    out += lo === hi ? d.char(lo) : `${d.char(lo)}-${d.char(hi)}`;
  }
  return out;
}
