import type { Expr, Operand, Rhs, ValueLit } from './ast.ts';
import { isBareArg, isBareString, isIdentifier, quoteString } from './lexer.ts';
import { getOperator } from './operators.ts';

/**
 * Prints an expression the way Falco prints a compiled condition: `and`/`or` groups in
 * parentheses, single spaces around operators, list items joined with `, `, strings quoted
 * only when they would not read back as one bare word. `parseCondition(printExpr(e))`
 * gives `e` back (offsets and the `quoted` flag aside).
 *
 * @example printExpr(parseCondition('a.b=c and d.e in (x,y)')) // '(a.b = c and d.e in (x, y))'
 */
export function printExpr(expr: Expr, opts: PrintOptions = {}): string {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return `(${expr.children.map((c) => printExpr(c, opts)).join(` ${expr.kind} `)})`;
    case 'not':
      return `not ${printExpr(expr.child, opts)}`;
    case 'macro':
      return expr.name;
    case 'check': {
      const lhs = printOperand(expr.lhs);
      if (expr.rhs === undefined) return `${lhs} ${expr.op}`;
      const rhs = opts.listNames ? namedLists(expr.rhs) : expr.rhs;
      if (expr.modifier !== undefined) {
        return `${lhs} ${expr.op} ${expr.modifier} ${printRhs(rhs, true)}`;
      }
      const list = getOperator(expr.op)?.rhs === 'list';
      return `${lhs} ${expr.op} ${printRhs(rhs, list)}`;
    }
  }
}

/** How printExpr prints. */
export interface PrintOptions {
  /**
   * Print a list made only of substituted `list:` items by the lists' names, as the rule
   * author wrote it (the text then no longer parses to the same condition).
   */
  readonly listNames?: boolean;
}

function namedLists(rhs: Rhs): Rhs {
  if (rhs.kind !== 'list' || rhs.lists === undefined || !rhs.items.every((i) => i.list)) return rhs;
  const at = { start: rhs.start, end: rhs.end };
  const items: ValueLit[] = rhs.lists.map((value) => ({
    kind: 'value',
    value,
    quoted: false,
    ...at,
  }));
  return { kind: 'list', items, ...at };
}

/** Prints a field or transformer: `ka.uri.param[command]`, `tolower(ka.user.name)`. */
export function printOperand(op: Operand): string {
  if (op.kind === 'transform') return `${op.name}(${printOperand(op.arg)})`;
  if (op.arg === undefined) return op.name;
  return `${op.name}[${isBareArg(op.arg) ? op.arg : quoteString(op.arg)}]`;
}

function printRhs(rhs: Rhs, list: boolean): string {
  switch (rhs.kind) {
    case 'list':
      return `(${rhs.items.map(printValue).join(', ')})`;
    case 'val':
      return `val(${printOperand(rhs.field)})`;
    case 'transform':
      return printOperand(rhs);
    case 'value':
      // After a list operator a single bare word is a list name; anything else needs the
      // list form to read back.
      if (list && !isIdentifier(rhs.value)) return `(${printValue(rhs)})`;
      return printValue(rhs);
  }
}

function printValue(v: ValueLit): string {
  // A bare word that looks like a transformer call would not read back as a value.
  return isBareString(v.value) ? v.value : quoteString(v.value);
}
