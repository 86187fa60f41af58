import { normalizeTimeLiteral } from '../fields/time-literal.ts';
import type { ListLit, ValueLit } from './ast.ts';
import type { OperandInfo } from './resolve.ts';

/**
 * The literal values of a check, as its left side compares them: RFC 3339 times become
 * the instant in a time-valued field's own spelling (normalizeTimeLiteral); every other
 * literal stays as written.
 */
export function literalValues(rhs: ValueLit | ListLit, lhs: OperandInfo): string[] {
  const values = rhs.kind === 'list' ? rhs.items.map((i) => i.value) : [rhs.value];
  const time = lhs.time;
  return time === undefined ? values : values.map((v) => normalizeTimeLiteral(time, v));
}
