import { ConditionError } from './errors.ts';

/**
 * Character-level scanning helpers for the condition grammar. libsinsp's parser lexes on
 * demand (what a token means depends on where it appears), so there is no token stream:
 * the parser asks the cursor for the token kind it expects at each point.
 */

const BLANKS = new Set([' ', '\t', '\b', '\r', '\n', '\f', '\v']);
// Characters that end a bare string: blanks, parens, quotes, `=` and `,`.
const BARE_STOP = new Set([...BLANKS, '(', ')', '"', "'", '=', ',']);
// Characters that end a bare field argument: blanks, brackets and quotes.
const ARG_STOP = new Set([...BLANKS, '[', ']', '"', "'"]);

const IDENT_RE = /[a-zA-Z][a-zA-Z0-9_]*/y;
const FIELD_RE = /[a-zA-Z][a-zA-Z0-9_]*(?:\.[a-zA-Z][a-zA-Z0-9_]*)+/y;
const NUMBER_RE = /0[xX][0-9a-fA-F]+|[+-]?[0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?/y;
// An RFC 3339 time where a number is expected (kaudit's extension, docs/query.md); it is
// tried first because a number would stop at its first '-'.
const TIME_RE =
  /[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.,][0-9]+)?(?:[Zz]|[+-][0-9]{2}:[0-9]{2})/y;

const ESCAPES: Readonly<Record<string, string>> = {
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  '\\': '\\',
  '/': '/',
};

export function isBlank(c: string | undefined): boolean {
  return c !== undefined && BLANKS.has(c);
}

export function isIdentChar(c: string | undefined): boolean {
  return c !== undefined && /[a-zA-Z0-9_]/.test(c);
}

/** True when `s` can be written without quotes and reads back unchanged. */
export function isBareString(s: string): boolean {
  if (s.length === 0) return false;
  for (const c of s) if (BARE_STOP.has(c)) return false;
  return true;
}

export function isBareArg(s: string): boolean {
  if (s.length === 0) return false;
  for (const c of s) if (ARG_STOP.has(c)) return false;
  return true;
}

export function isIdentifier(s: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9_]*$/.test(s);
}

export function isNumberToken(s: string): boolean {
  NUMBER_RE.lastIndex = 0;
  return NUMBER_RE.exec(s)?.[0].length === s.length && s.length > 0;
}

/** A read position over the condition text. */
export class Cursor {
  pos = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  peek(offset = 0): string | undefined {
    return this.text[this.pos + offset];
  }

  /** Skips blanks; true when at least one was skipped. */
  skipBlanks(): boolean {
    const from = this.pos;
    while (isBlank(this.text[this.pos])) this.pos++;
    return this.pos > from;
  }

  startsWith(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }

  /** Consumes `s` when the text continues with it. */
  eat(s: string): boolean {
    if (!this.text.startsWith(s, this.pos)) return false;
    this.pos += s.length;
    return true;
  }

  private sticky(re: RegExp): string | undefined {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (m === null) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  /** Peeks an identifier without consuming it. */
  peekIdentifier(): string | undefined {
    IDENT_RE.lastIndex = this.pos;
    return IDENT_RE.exec(this.text)?.[0];
  }

  identifier(): string | undefined {
    return this.sticky(IDENT_RE);
  }

  /** A field name: identifiers joined by dots, at least one dot. */
  fieldName(): string | undefined {
    const from = this.pos;
    const name = this.sticky(FIELD_RE);
    // `a.b_c` followed by more identifier text cannot happen (the regex is greedy), but a
    // trailing `.` (`ka.user.`) must not be half-consumed as `ka.user`.
    if (name !== undefined && this.peek() === '.') {
      this.pos = from;
      return undefined;
    }
    return name;
  }

  number(): string | undefined {
    return this.sticky(NUMBER_RE);
  }

  /** An RFC 3339 time token, as written (the field it meets decides what it means). */
  time(): string | undefined {
    return this.sticky(TIME_RE);
  }

  bareString(): string | undefined {
    return this.until(BARE_STOP);
  }

  bareArg(): string | undefined {
    return this.until(ARG_STOP);
  }

  private until(stop: ReadonlySet<string>): string | undefined {
    const from = this.pos;
    while (this.pos < this.text.length && !stop.has(this.text[this.pos] as string)) this.pos++;
    return this.pos > from ? this.text.slice(from, this.pos) : undefined;
  }

  /** A '...' or "..." string, unescaped; undefined when no quote is here. */
  quoted(): string | undefined {
    const q = this.peek();
    if (q !== '"' && q !== "'") return undefined;
    const open = this.pos;
    let out = '';
    let i = open + 1;
    for (;;) {
      const c = this.text[i];
      if (c === undefined) {
        throw new ConditionError('unclosed_string', 'unterminated quoted string', open, i);
      }
      if (c === q) break;
      if (c === '\\') {
        const e = this.text[i + 1];
        const rep = e === undefined ? undefined : e === '"' && q === '"' ? '"' : ESCAPES[e];
        if (rep === undefined) {
          throw new ConditionError(
            'bad_escape',
            `invalid escape sequence '\\${e ?? ''}'`,
            i,
            i + 2,
          );
        }
        out += rep;
        i += 2;
        continue;
      }
      out += c;
      i++;
    }
    this.pos = i + 1;
    return out;
  }

  /** The last consumed chunk of text for "unexpected token after '…'" messages. */
  describeAt(pos: number): string {
    const m = /^\S{1,20}/.exec(this.text.slice(pos));
    return m === null ? 'end of input' : `'${m[0]}'`;
  }
}

/** Writes `s` as a double-quoted string the lexer reads back to `s`. */
export function quoteString(s: string): string {
  let out = '"';
  for (const c of s) {
    switch (c) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      default:
        out += c;
    }
  }
  return `${out}"`;
}
