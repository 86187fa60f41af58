import type { AuditRecord } from '../events/record.ts';
import type { FieldValue } from '../fields/field.ts';
import type { CheckExpr, Expr, Operand } from './ast.ts';
import { validateCheck } from './check.ts';
import type { CompileEnv } from './compile.ts';
import { undefinedMacroError } from './errors.ts';
import { literalValues } from './literal-values.ts';
import { testNumeric, toNumeric } from './numeric.ts';
import { compilePathMatcher } from './operators.ts';
import { bindField, resolveOperand } from './resolve.ts';
import { applyTransformer } from './transformers.ts';

/**
 * Evaluates an expression directly over the AST: the reference semantics the compiler is
 * tested against. Slow by design (fields are bound on every call); throws ConditionError
 * for an invalid expression.
 *
 * @example interpretCondition(parseCondition('ka.verb = create'), record, env)
 */
export function interpretCondition(expr: Expr, rec: AuditRecord, env: CompileEnv): boolean {
  switch (expr.kind) {
    case 'and':
      return expr.children.every((c) => interpretCondition(c, rec, env));
    case 'or':
      return expr.children.some((c) => interpretCondition(c, rec, env));
    case 'not':
      return !interpretCondition(expr.child, rec, env);
    case 'macro':
      throw undefinedMacroError(expr);
    case 'check':
      return interpretCheck(expr, rec, env);
  }
}

/** An operand's value on a record: the field's, through any transformers. */
export function evalOperand(op: Operand, rec: AuditRecord, env: CompileEnv): FieldValue {
  if (op.kind === 'field') return bindField(op, env).get(rec);
  return applyTransformer(op.name, evalOperand(op.arg, rec, env));
}

/** One check's value on a record (the reference semantics); throws ConditionError when invalid. */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: over the limit since before it existed; to be split (docs/architecture.md, "Complexity")
export function interpretCheck(check: CheckExpr, rec: AuditRecord, env: CompileEnv): boolean {
  const spec = validateCheck(check, env);
  const info = resolveOperand(check.lhs, env);
  const v = evalOperand(check.lhs, rec, env);
  // Absent: every comparison is false, `exists` included.
  if (v === undefined || (typeof v !== 'string' && v.length === 0)) return false;
  const rhs = check.rhs;
  if (rhs === undefined) return true;

  let values: readonly string[];
  if (rhs.kind === 'value' || rhs.kind === 'list') values = literalValues(rhs, info);
  else {
    const w = evalOperand(rhs.kind === 'val' ? rhs.field : rhs, rec, env);
    if (w === undefined) return false;
    if (typeof w !== 'string' && spec.rhs !== 'list') return false;
    values = typeof w === 'string' ? [w] : w;
  }

  if (info.numeric) {
    if (typeof v !== 'string') return false;
    const a = toNumeric(v);
    if (a === undefined) return false;
    const hits = values.map((s) => {
      const b = toNumeric(s);
      return b !== undefined && testNumeric(check.op, a, b);
    });
    return check.modifier === 'allof' ? hits.every(Boolean) : hits.some(Boolean);
  }
  if (check.modifier !== undefined) {
    if (typeof v !== 'string') return false;
    const hits = values.map((s) => spec.test(v, spec.prepare([s])));
    return check.modifier === 'allof' ? hits.every(Boolean) : hits.some(Boolean);
  }

  if (typeof v !== 'string') {
    if (check.op === 'in') return v.every((x) => values.includes(x));
    if (check.op === 'intersects') return v.some((x) => values.includes(x));
    return false;
  }
  switch (check.op) {
    case 'in':
    case 'intersects':
      return values.includes(v);
    case 'pmatch':
      return compilePathMatcher(values)(v);
    default:
      try {
        return spec.test(v, spec.prepare([values[0] ?? '']));
      } catch {
        return false;
      }
  }
}
