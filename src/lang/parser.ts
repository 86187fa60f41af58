import type {
  CheckExpr,
  Expr,
  FieldRef,
  FieldValueRef,
  Operand,
  Rhs,
  TransformRef,
} from './ast.ts';
import { ConditionError } from './errors.ts';
import { Cursor, isBlank, isIdentChar } from './lexer.ts';
import { getOperator } from './operators.ts';
import {
  closeParenError,
  lit,
  parseListValue,
  parseModifier,
  parseOperator,
  syntaxError,
} from './parse-values.ts';
import { isTransformerName } from './transformers.ts';

/** Options of {@link parseCondition}. */
export interface ParseOptions {
  /** Maximum nesting of parentheses and transformers (default 1000). */
  readonly maxDepth?: number;
}

/**
 * Parses a Falco condition into an AST with offsets, following libsinsp's grammar:
 * `not` binds tighter than `and`, `and` tighter than `or`; `a or b or c` is one node while
 * parenthesised groups stay nested. Throws ConditionError (reason + offsets).
 *
 * @example parseCondition('ka.verb = create and ka.user.name in (alice, bob)')
 */
export function parseCondition(text: string, opts: ParseOptions = {}): Expr {
  if (text.trim().length === 0) {
    throw new ConditionError('empty_input', 'filter input string is empty', 0, text.length);
  }
  const p = new Parser(text, opts.maxDepth ?? 1000);
  return p.parseAll();
}

class Parser {
  private readonly c: Cursor;
  private depth = 0;
  // Where the last complete token ended, for "unexpected token after ..." messages.
  private lastStart = 0;

  constructor(
    text: string,
    private readonly maxDepth: number,
  ) {
    this.c = new Cursor(text);
  }

  parseAll(): Expr {
    const e = this.parseOr();
    this.c.skipBlanks();
    if (!this.c.done) {
      const after = this.c.text.slice(this.lastStart, e.end).trim() || 'start';
      throw this.error(
        'unexpected_token',
        `unexpected token after '${lastWord(after)}', expecting 'or', 'and'`,
        this.c.pos,
      );
    }
    return e;
  }

  private error(reason: ConditionError['reason'], msg: string, start: number, end?: number) {
    return syntaxError(this.c, reason, msg, start, end);
  }

  private enter(at: number): void {
    if (++this.depth > this.maxDepth) {
      throw this.error('too_deep', `condition nests deeper than ${this.maxDepth}`, at);
    }
  }

  private keyword(word: 'and' | 'or'): boolean {
    if (!this.c.startsWith(word)) return false;
    const next = this.c.peek(word.length);
    this.c.pos += word.length;
    if (!isBlank(next) && next !== '(') {
      throw this.error('expected_blank', `expected blank or '(' after '${word}'`, this.c.pos);
    }
    return true;
  }

  private parseOr(): Expr {
    return this.parseJunction('or', () => this.parseAnd());
  }

  private parseAnd(): Expr {
    return this.parseJunction('and', () => this.parseNot());
  }

  private parseJunction(word: 'and' | 'or', next: () => Expr): Expr {
    this.c.skipBlanks();
    const children = [next()];
    this.c.skipBlanks();
    while (this.keyword(word)) {
      children.push(next());
      this.c.skipBlanks();
    }
    const head = children[0] as Expr;
    if (children.length === 1) return head;
    const end = (children[children.length - 1] as Expr).end;
    return { kind: word, children, start: head.start, end };
  }

  private parseNot(): Expr {
    this.c.skipBlanks();
    const start = this.c.pos;
    let negate = false;
    while (this.c.startsWith('not')) {
      const next = this.c.peek(3);
      // `notable_macro` is an identifier, not `not` + `able_macro`.
      if (isIdentChar(next) || next === '.') break;
      if (!isBlank(next) && next !== '(') {
        throw this.error('expected_blank', "expected blank or '(' after 'not'", this.c.pos + 3);
      }
      this.c.pos += 3;
      this.c.skipBlanks();
      negate = !negate;
    }
    const child = this.parseCheck();
    return negate ? { kind: 'not', child, start, end: child.end } : child;
  }

  private parseCheck(): Expr {
    this.c.skipBlanks();
    const start = this.c.pos;
    if (this.c.eat('(')) {
      this.enter(start);
      const inner = this.parseOr();
      this.depth--;
      this.c.skipBlanks();
      if (!this.c.eat(')')) throw this.closeParenError(start);
      return inner;
    }
    if (this.c.done) {
      throw this.error(
        'unexpected_end',
        "expected a '(' token, a field check, or an identifier",
        start,
        start,
      );
    }
    const ident = this.c.peekIdentifier();
    if (ident !== undefined && this.c.peek(ident.length) === '(') {
      return this.parseCondition(this.parseOperand());
    }
    if (this.c.fieldName() !== undefined) {
      this.c.pos = start;
      return this.parseCondition(this.parseOperand());
    }
    const name = this.c.identifier();
    if (name === undefined) {
      throw this.error(
        'unexpected_token',
        "expected a '(' token, a field check, or an identifier",
        start,
      );
    }
    this.lastStart = start;
    return { kind: 'macro', name, start, end: this.c.pos };
  }

  private closeParenError(open: number): ConditionError {
    return closeParenError(this.c, open);
  }

  /** A field (`a.b[arg]`) or a transformer over an operand (`tolower(a.b)`). */
  private parseOperand(): Operand {
    const start = this.c.pos;
    const ident = this.c.peekIdentifier();
    if (ident !== undefined && this.c.peek(ident.length) === '(') {
      if (!isTransformerName(ident)) {
        throw this.error(
          'unknown_transformer',
          `unknown transformer '${ident}'`,
          start,
          start + ident.length,
        );
      }
      this.c.pos += ident.length + 1;
      this.enter(start);
      this.c.skipBlanks();
      const arg = this.parseOperand();
      this.depth--;
      this.c.skipBlanks();
      if (!this.c.eat(')')) throw this.closeParenError(start + ident.length);
      return { kind: 'transform', name: ident, arg, start, end: this.c.pos };
    }
    return this.parseField();
  }

  private parseField(): FieldRef {
    const start = this.c.pos;
    const name = this.c.fieldName();
    if (name === undefined) {
      throw this.error('unexpected_token', 'expected a field name', start);
    }
    if (!this.c.eat('[')) return { kind: 'field', name, start, end: this.c.pos };
    const argAt = this.c.pos;
    const arg = this.c.quoted() ?? this.c.bareArg();
    if (arg === undefined) {
      throw this.error('bad_field_arg', `expected an argument for field '${name}'`, argAt);
    }
    if (!this.c.eat(']')) {
      throw this.c.done
        ? this.error('unclosed_paren', "expected a ']' token", argAt - 1)
        : this.error('unexpected_token', "expected a ']' token", this.c.pos);
    }
    return { kind: 'field', name, arg, start, end: this.c.pos };
  }

  private parseCondition(lhs: Operand): CheckExpr {
    this.c.skipBlanks();
    const opAt = this.c.pos;
    const op = parseOperator(this.c);
    const spec = getOperator(op);
    if (spec === undefined || spec.rhs === 'none') {
      this.lastStart = opAt;
      return { kind: 'check', lhs, op, start: lhs.start, end: this.c.pos };
    }
    this.c.skipBlanks();
    const modifier = spec.rhs === 'string' ? parseModifier(this.c) : undefined;
    if (modifier !== undefined) {
      const rhs = parseListValue(this.c);
      this.lastStart = rhs.start;
      return { kind: 'check', lhs, op, modifier, rhs, start: lhs.start, end: rhs.end };
    }
    const rhs = this.parseRhs(spec.rhs);
    this.lastStart = rhs.start;
    return { kind: 'check', lhs, op, rhs, start: lhs.start, end: rhs.end };
  }

  private parseRhs(shape: 'number' | 'string' | 'list'): Rhs {
    const start = this.c.pos;
    const ident = this.c.peekIdentifier();
    if (ident !== undefined && this.c.peek(ident.length) === '(') {
      if (ident === 'val') return this.parseVal();
      return this.parseOperand() as TransformRef;
    }
    if (shape === 'number') {
      const n = this.c.time() ?? this.c.number();
      if (n === undefined) {
        throw this.error('expected_value', 'expected a number or RFC 3339 time', start);
      }
      return lit(n, false, start, this.c.pos);
    }
    if (shape === 'list') return parseListValue(this.c);
    const q = this.c.quoted();
    if (q !== undefined) return lit(q, true, start, this.c.pos);
    const bare = this.c.bareString();
    if (bare === undefined) throw this.error('expected_value', 'expected a value', start);
    return lit(bare, false, start, this.c.pos);
  }

  private parseVal(): FieldValueRef {
    const start = this.c.pos;
    this.c.pos += 4;
    this.c.skipBlanks();
    const field = this.parseOperand();
    this.c.skipBlanks();
    if (!this.c.eat(')')) throw this.closeParenError(start + 3);
    return { kind: 'val', field, start, end: this.c.pos };
  }
}

function lastWord(s: string): string {
  const m = /(\S+)\s*$/.exec(s);
  return m?.[1] ?? s;
}
