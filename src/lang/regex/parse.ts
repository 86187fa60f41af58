import {
  type CharSet,
  DOT,
  MAX_RUNE,
  makeCharSet,
  negateCharSet,
  POSIX_CLASSES,
} from './charset.ts';

/**
 * A parsed regex. Groups leave no node of their own (only a boolean match is ever
 * asked for); `bol`/`eol` are `^`/`$`, which match at line boundaries in RE2's POSIX mode.
 * A `repeat` with `max` -1 is unbounded.
 */
export type RegexNode =
  | { readonly kind: 'empty' }
  | { readonly kind: 'chars'; readonly set: CharSet }
  | { readonly kind: 'bol' }
  | { readonly kind: 'eol' }
  | { readonly kind: 'concat'; readonly items: readonly RegexNode[] }
  | { readonly kind: 'alt'; readonly items: readonly RegexNode[] }
  | {
      readonly kind: 'repeat';
      readonly sub: RegexNode;
      readonly min: number;
      readonly max: number;
    };

/** A pattern RE2 rejects; the message is RE2's own (`invalid escape sequence: \d`). */
export class RegexSyntaxError extends Error {
  override readonly name = 'RegexSyntaxError';
  readonly code = 'bad_regex';
  constructor(
    message: string,
    /** Offset in the pattern (UTF-16 units) where the offending text starts. */
    readonly offset: number,
  ) {
    super(message);
  }
}

// RE2's limit on a repetition count and on the product of nested counts.
const MAX_REPEAT = 1000;
// Groups nested deeper than this are refused (RE2 would run out of its memory budget long
// before a rule needs it); it also bounds this parser's recursion.
const MAX_DEPTH = 1000;
const EMPTY: RegexNode = { kind: 'empty' };

const isOctal = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '7';
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9A-Fa-f]$/.test(c);

/**
 * Parses a pattern with RE2's POSIX syntax, the options libsinsp compiles `regex` with
 * (`RE2::POSIX`): no Perl classes (`\d`), no `\b`, no `(?...)` groups or flags, no `\pL`,
 * no back-references; `[[:alpha:]]` classes, octal and hex escapes; `^` and `$` match at
 * line boundaries. Throws RegexSyntaxError with RE2's message for what RE2 refuses.
 *
 * @example parseRegex('^/(healthz|livez)$')
 */
export function parseRegex(pattern: string): RegexNode {
  return new Parser(pattern).parse();
}

class Parser {
  private i = 0;
  constructor(private readonly p: string) {}

  parse(): RegexNode {
    const node = this.alternation(0);
    if (this.i < this.p.length) this.fail('unexpected )', this.p, this.i);
    return node;
  }

  private fail(code: string, arg: string, at: number): never {
    throw new RegexSyntaxError(arg === '' ? code : `${code}: ${arg}`, at);
  }

  private alternation(depth: number): RegexNode {
    const branches = [this.concatenation(depth)];
    while (this.p[this.i] === '|') {
      this.i++;
      branches.push(this.concatenation(depth));
    }
    return branches.length === 1 ? (branches[0] as RegexNode) : { kind: 'alt', items: branches };
  }

  private concatenation(depth: number): RegexNode {
    const items: RegexNode[] = [];
    const p = this.p;
    while (this.i < p.length) {
      const c = p[this.i] as string;
      if (c === '|' || c === ')') break;
      if (c === '*' || c === '+' || c === '?') {
        const last = items.pop();
        if (last === undefined) this.fail('no argument for repetition operator', c, this.i);
        this.i++;
        items.push(applySimpleRepeat(last, c));
      } else if (c === '{' && readRepeat(p, this.i) !== undefined) {
        items.push(this.countedRepeat(items.pop()));
      } else {
        items.push(this.atom(depth));
      }
    }
    if (items.length === 0) return EMPTY;
    return items.length === 1 ? (items[0] as RegexNode) : { kind: 'concat', items };
  }

  /** One atom at `i`: a group, an anchor, `.`, a class, an escape or a literal. */
  private atom(depth: number): RegexNode {
    const p = this.p;
    const at = this.i;
    switch (p[at]) {
      case '(': {
        if (depth >= MAX_DEPTH) this.fail('pattern too large - compile failed', '', at);
        this.i++;
        const sub = this.alternation(depth + 1);
        if (p[this.i] !== ')') this.fail('missing )', p, at);
        this.i++;
        return sub;
      }
      case '^':
        this.i++;
        return { kind: 'bol' };
      case '$':
        this.i++;
        return { kind: 'eol' };
      case '.':
        this.i++;
        return { kind: 'chars', set: DOT };
      case '[':
        return { kind: 'chars', set: this.charClass() };
      case '\\':
        return literal(this.escape());
      default:
        // `{` that does not start a count is a literal, as in RE2.
        return literal(this.rune());
    }
  }

  /** `{n}`, `{n,}` or `{n,m}` at `i` applied to `last`, with RE2's checks in RE2's order. */
  private countedRepeat(last: RegexNode | undefined): RegexNode {
    const at = this.i;
    const { min, max, end } = readRepeat(this.p, at) as NonNullable<ReturnType<typeof readRepeat>>;
    const text = this.p.slice(at, end);
    if ((max !== -1 && max < min) || min > MAX_REPEAT || max > MAX_REPEAT) {
      this.fail('invalid repetition size', text, at);
    }
    if (last === undefined) this.fail('no argument for repetition operator', text, at);
    this.i = end;
    const node: RegexNode = { kind: 'repeat', sub: last, min, max };
    if ((min >= 2 || max >= 2) && repeatBudget(node, MAX_REPEAT) === 0) {
      this.fail('invalid repetition size', text, at);
    }
    return node;
  }

  /** The code point at `i`, advancing past it; a lone surrogate is not UTF-8. */
  private rune(): number {
    const c = this.p.codePointAt(this.i) as number;
    if (c >= 0xd800 && c <= 0xdfff) this.fail('invalid UTF-8', '', this.i);
    this.i += c > 0xffff ? 2 : 1;
    return c;
  }

  /** An escape at `i` (a backslash), as RE2's ParseEscape reads it without Perl extensions. */
  private escape(): number {
    const p = this.p;
    const start = this.i;
    if (start + 1 >= p.length) this.fail('trailing \\', '', start);
    this.i++;
    const bad = (): never => this.fail('invalid escape sequence', p.slice(start, this.i), start);
    const c = this.rune();
    const ch = String.fromCodePoint(c);
    if (c >= 0x31 && c <= 0x37) {
      // A single non-zero digit would be a back-reference, which RE2 does not support.
      if (!isOctal(p[this.i])) bad();
    }
    if (c >= 0x30 && c <= 0x37) {
      let code = c - 0x30;
      for (let k = 0; k < 2 && isOctal(p[this.i]); k++) {
        code = code * 8 + Number(p[this.i]);
        this.i++;
      }
      return code;
    }
    switch (ch) {
      case 'x':
        return this.hexEscape(bad);
      case 'n':
        return 0x0a;
      case 'r':
        return 0x0d;
      case 't':
        return 0x09;
      case 'a':
        return 0x07;
      case 'f':
        return 0x0c;
      case 'v':
        return 0x0b;
    }
    // Escaped punctuation stands for itself (`\_` too); letters, digits and non-ASCII do not.
    if (c < 0x80 && !/[A-Za-z0-9]/.test(ch)) return c;
    return bad();
  }

  private hexEscape(bad: () => never): number {
    const p = this.p;
    if (this.i >= p.length) bad();
    const c = this.rune();
    if (c === 0x7b) {
      // RE2 reads the rune after `{` unchecked: at the end that is a UTF-8 error.
      if (this.i >= p.length) this.fail('invalid UTF-8', '', this.i);
      let d = this.rune();
      let code = 0;
      let digits = 0;
      while (isHex(String.fromCodePoint(d))) {
        digits++;
        code = code * 16 + Number.parseInt(String.fromCodePoint(d), 16);
        if (code > MAX_RUNE || this.i >= p.length) bad();
        d = this.rune();
      }
      if (d !== 0x7d || digits === 0) bad();
      return code;
    }
    if (this.i >= p.length) bad();
    const c1 = this.rune();
    const h = String.fromCodePoint(c) + String.fromCodePoint(c1);
    if (!isHex(h[0]) || !isHex(h[1])) bad();
    return Number.parseInt(h, 16);
  }

  /** A bracket expression at `i`, as RE2's ParseCharClass reads it in POSIX mode. */
  private charClass(): CharSet {
    const p = this.p;
    const start = this.i;
    const whole = p.slice(start);
    this.i++;
    const negated = p[this.i] === '^';
    if (negated) this.i++;
    const ranges: number[] = [];
    let first = true;
    while (this.i < p.length && (p[this.i] !== ']' || first)) {
      ranges.push(...this.classMember(first, whole, start));
      first = false;
    }
    if (this.i >= p.length) this.fail('missing ]', whole, start);
    this.i++;
    const set = makeCharSet(ranges);
    return negated ? negateCharSet(set) : set;
  }

  /** One member of a bracket expression: `[:name:]`, a character or a range. */
  private classMember(first: boolean, whole: string, start: number): readonly number[] {
    const p = this.p;
    const at = this.i;
    // A `-` that is neither first nor last is an error in POSIX syntax.
    if (p[at] === '-' && !first && p[at + 1] !== ']') {
      this.i++;
      if (this.i >= p.length) this.fail('invalid UTF-8', '', at);
      this.rune();
      this.fail('invalid character class range', p.slice(at, this.i), at);
    }
    const close = p.startsWith('[:', at) && at + 2 < p.length ? p.indexOf(':]', at + 2) : -1;
    if (close !== -1) {
      const name = p.slice(at, close + 2);
      const negClass = name[2] === '^';
      const set = POSIX_CLASSES.get(name.slice(negClass ? 3 : 2, -2));
      if (set === undefined) this.fail('invalid character class range', name, at);
      this.i = close + 2;
      return negClass ? negateCharSet(set) : set;
    }
    const lo = this.classChar(whole, start);
    if (p[this.i] !== '-' || this.i + 1 >= p.length || p[this.i + 1] === ']') return [lo, lo];
    this.i++;
    const hi = this.classChar(whole, start);
    if (hi < lo) this.fail('invalid character class range', p.slice(at, this.i), at);
    return [lo, hi];
  }

  private classChar(whole: string, start: number): number {
    if (this.i >= this.p.length) this.fail('missing ]', whole, start);
    return this.p[this.i] === '\\' ? this.escape() : this.rune();
  }
}

function literal(c: number): RegexNode {
  return { kind: 'chars', set: [c, c] };
}

const SIMPLE: Readonly<Record<string, readonly [number, number]>> = {
  '*': [0, -1],
  '+': [1, -1],
  '?': [0, 1],
};

/** `x*`, `x+`, `x?`; stacked ones collapse as RE2 does (`**` is `*`, `*+` or `?*` is `*`). */
function applySimpleRepeat(node: RegexNode, op: string): RegexNode {
  const [min, max] = SIMPLE[op] as readonly [number, number];
  if (node.kind === 'repeat') {
    const same = node.min === min && node.max === max;
    const simple = Object.values(SIMPLE).some(([a, b]) => a === node.min && b === node.max);
    if (same) return node;
    if (simple) return { kind: 'repeat', sub: node.sub, min: 0, max: -1 };
  }
  return { kind: 'repeat', sub: node, min, max };
}

/** `{n}`, `{n,}` or `{n,m}` at `at`; undefined when it is not one (then `{` is a literal). */
function readRepeat(
  p: string,
  at: number,
): { readonly min: number; readonly max: number; readonly end: number } | undefined {
  const m = /^\{(0|[1-9][0-9]{0,8})(?:(,)(0|[1-9][0-9]{0,8})?)?\}/.exec(p.slice(at, at + 24));
  if (m === null) return undefined;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[3] === undefined ? -1 : Number(m[3]);
  return { min, max, end: at + m[0].length };
}

/** RE2's RepetitionWalker: the budget left after dividing by every nested count. */
function repeatBudget(node: RegexNode, budget: number): number {
  let arg = budget;
  if (node.kind === 'repeat') {
    const m = node.max < 0 ? node.min : node.max;
    if (m > 0) arg = Math.trunc(arg / m);
  }
  let out = arg;
  for (const child of childrenOf(node)) out = Math.min(out, repeatBudget(child, arg));
  return out;
}

/** The direct sub-patterns of a node. */
export function childrenOf(node: RegexNode): readonly RegexNode[] {
  if (node.kind === 'concat' || node.kind === 'alt') return node.items;
  return node.kind === 'repeat' ? [node.sub] : [];
}
