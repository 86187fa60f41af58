import type { ListLit, Modifier, Operator, ValueLit } from './ast.ts';
import { ConditionError, type ConditionErrorReason } from './errors.ts';
import { type Cursor, isBlank, isIdentChar } from './lexer.ts';
import { isWordOperator, OPERATOR_NAMES } from './operators.ts';

/** Parser pieces that only need the cursor: operators, modifiers, lists, literals. */

export function syntaxError(
  c: Cursor,
  reason: ConditionErrorReason,
  msg: string,
  start: number,
  end?: number,
): ConditionError {
  return new ConditionError(reason, msg, start, end ?? Math.min(start + 1, c.text.length));
}

export function closeParenError(c: Cursor, open: number): ConditionError {
  return c.done
    ? syntaxError(c, 'unclosed_paren', "expected a ')' token", open)
    : syntaxError(c, 'unexpected_token', "expected a ')' token", c.pos);
}

export function lit(value: string, quoted: boolean, start: number, end: number): ValueLit {
  return { kind: 'value', value, quoted, start, end };
}

// `oneof (`, `anyof x`: a modifier only when a list or list name follows, so a bare
// value spelled `oneof` still reads as a value.
export function parseModifier(c: Cursor): Modifier | undefined {
  const word = c.peekIdentifier();
  if (word !== 'oneof' && word !== 'anyof' && word !== 'allof') return undefined;
  const next = c.peek(word.length);
  if (next !== '(' && !isBlank(next)) return undefined;
  const save = c.pos;
  c.pos += word.length;
  c.skipBlanks();
  const listName = c.peekIdentifier();
  if (c.peek() === '(' || (listName !== undefined && listName !== 'and' && listName !== 'or')) {
    return word;
  }
  c.pos = save;
  return undefined;
}

export function parseListValue(c: Cursor): ListLit | ValueLit {
  const start = c.pos;
  if (c.peek() === '(') return parseList(c);
  const name = c.identifier();
  if (name === undefined)
    throw syntaxError(c, 'expected_value', 'expected a list or a list name', start);
  return lit(name, false, start, c.pos);
}

export function parseOperator(c: Cursor): Operator {
  const at = c.pos;
  let glued: string | undefined;
  for (const name of OPERATOR_NAMES) {
    if (!c.startsWith(name)) continue;
    const next = c.peek(name.length);
    if (isWordOperator(name)) {
      const list = name === 'in' || name === 'intersects' || name === 'pmatch';
      // `containsx`: keep looking (`in` vs `intersects`), but remember for the message.
      if (isIdentChar(next)) {
        glued ??= name;
        continue;
      }
      const ok = next === undefined ? name === 'exists' : isBlank(next) || (list && next === '(');
      if (!ok && !(name === 'exists' && next === ')')) {
        throw syntaxError(c, 'expected_blank', `expected blank after '${name}'`, at + name.length);
      }
    }
    c.pos += name.length;
    return name;
  }
  if (glued !== undefined) {
    throw syntaxError(c, 'expected_blank', `expected blank after '${glued}'`, at + glued.length);
  }
  throw syntaxError(
    c,
    c.done ? 'unexpected_end' : 'expected_operator',
    `expected a valid check operator: one of ${OPERATOR_NAMES.map((o) => `'${o}'`).join(', ')}`,
    at,
  );
}

export function parseList(c: Cursor): ListLit {
  const start = c.pos;
  c.pos++;
  const items: ValueLit[] = [];
  c.skipBlanks();
  if (c.eat(')')) return { kind: 'list', items, start, end: c.pos };
  for (;;) {
    c.skipBlanks();
    const at = c.pos;
    const q = c.quoted();
    const v = q ?? c.bareString();
    if (v === undefined) {
      throw c.done
        ? syntaxError(c, 'unclosed_paren', "expected a ')' token", start)
        : syntaxError(c, 'expected_value', 'expected a list item', at);
    }
    items.push(lit(v, q !== undefined, at, c.pos));
    c.skipBlanks();
    if (c.eat(')')) return { kind: 'list', items, start, end: c.pos };
    if (!c.eat(',')) throw closeParenError(c, start);
  }
}
