import type { CheckExpr, Expr, ListLit } from '../lang/ast.ts';
import { listsAt, type MappedText } from './mapped-text.ts';

/**
 * Marks the list literals of a parsed condition with the `list:` items substituted into
 * them (ListLit.lists, ValueLit.list), read from the substitution's record in `text`.
 * Nodes without a list are returned as they are; the compiler never reads the marks.
 */
export function markListOrigins(expr: Expr, text: MappedText): Expr {
  if (!text.pieces.some((p) => p.list !== undefined)) return expr;
  const visit = (e: Expr): Expr => {
    switch (e.kind) {
      case 'and':
      case 'or': {
        const children = e.children.map(visit);
        return children.every((c, i) => c === e.children[i]) ? e : { ...e, children };
      }
      case 'not': {
        const child = visit(e.child);
        return child === e.child ? e : { ...e, child };
      }
      case 'macro':
        return e;
      case 'check':
        return markCheck(e, text);
    }
  };
  return visit(expr);
}

function markCheck(c: CheckExpr, text: MappedText): CheckExpr {
  const rhs = c.rhs;
  if (rhs?.kind !== 'list') return c;
  const lists = listsAt(text, rhs.start, rhs.end);
  if (lists.length === 0) return c;
  const items = rhs.items.map((item) => {
    const list = listsAt(text, item.start, item.end)[0];
    return list === undefined ? item : { ...item, list };
  });
  const marked: ListLit = { ...rhs, items, lists };
  return { ...c, rhs: marked };
}

/**
 * Marks the `not (...)` clauses that a rule's exceptions appended (`(<cond>) and not
 * (<clause>) ...`, see applyExceptions) with the exception's name. `clauses` names the
 * exceptions that added a clause, in order; an unexpected shape is left unmarked.
 */
export function markExceptionClauses(expr: Expr, clauses: readonly string[]): Expr {
  if (clauses.length === 0 || expr.kind !== 'and') return expr;
  const first = expr.children.length - clauses.length;
  if (first < 1) return expr;
  const children = expr.children.map((c, i) => {
    const name = i >= first ? clauses[i - first] : undefined;
    return name === undefined || c.kind !== 'not' ? c : { ...c, exception: name };
  });
  return { ...expr, children };
}
