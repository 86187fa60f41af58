import type { CheckExpr, Expr, FieldValueRef, Rhs, TransformRef } from './ast.ts';
import { ConditionError } from './errors.ts';
import { literalValues } from './literal-values.ts';
import { getOperator, type OperatorSpec } from './operators.ts';
import { compileRegex } from './regex/index.ts';
import { type CheckEnv, type OperandInfo, resolveOperand } from './resolve.ts';

export type { CheckEnv } from './resolve.ts';

/**
 * Validates an expression against a field registry: unknown fields (with a suggestion),
 * field arguments, operators a field type does not support, non-numeric values compared
 * with numbers, invalid regexes, unknown transformers. Returns every problem found (one per
 * check at most), in text order; an empty array means the expression compiles. Macro
 * references are left to the rules loader.
 *
 * @example checkExpr(parseCondition('ka.user.nam = bob'), { registry, source: 'k8s_audit' })
 */
export function checkExpr(expr: Expr, env: CheckEnv): ConditionError[] {
  const errors: ConditionError[] = [];
  walk(expr, env, errors);
  return errors;
}

function walk(expr: Expr, env: CheckEnv, errors: ConditionError[]): void {
  switch (expr.kind) {
    case 'and':
    case 'or':
      for (const c of expr.children) walk(c, env, errors);
      return;
    case 'not':
      walk(expr.child, env, errors);
      return;
    case 'macro':
      return;
    case 'check':
      try {
        validateCheck(expr, env);
      } catch (e) {
        if (!(e instanceof ConditionError)) throw e;
        errors.push(e);
      }
  }
}

/** Throws the first problem of one check; used by the checker and the compiler. */
export function validateCheck(check: CheckExpr, env: CheckEnv): OperatorSpec {
  const lhs = resolveOperand(check.lhs, env);
  const spec = getOperator(check.op);
  const opStart = check.lhs.end;
  if (spec === undefined) {
    throw new ConditionError('unsupported_operator', `unknown operator '${check.op}'`, opStart);
  }
  if (spec.bytesOnly) {
    throw new ConditionError(
      'unsupported_operator',
      `'${spec.name}' operator not supported for string filters`,
      check.start,
      check.end,
    );
  }
  if (lhs.isList && !spec.listField) {
    throw new ConditionError(
      'unsupported_list_operator',
      `'${spec.name}' operator not supported list filters`,
      check.start,
      check.end,
    );
  }
  if (lhs.numeric && !spec.numeric) {
    throw new ConditionError(
      'unsupported_operator',
      `'${spec.name}' operator not supported for numeric filters`,
      check.start,
      check.end,
    );
  }
  if ((spec.rhs === 'none') !== (check.rhs === undefined)) {
    throw new ConditionError(
      'expected_value',
      spec.rhs === 'none' ? `'${spec.name}' takes no value` : `'${spec.name}' needs a value`,
      check.start,
      check.end,
    );
  }
  if (check.modifier !== undefined) {
    if (spec.rhs !== 'string' || (check.rhs?.kind !== 'list' && check.rhs?.kind !== 'value')) {
      throw new ConditionError(
        'unsupported_operator',
        `'${spec.name} ${check.modifier}' is not a supported comparison operator`,
        check.start,
        check.end,
      );
    }
    // Each item is checked as a single value of the operator (numbers, regexes).
    const items = check.rhs.kind === 'list' ? check.rhs.items : [check.rhs];
    for (const it of items) validateRhs(it, spec, lhs, env);
    return spec;
  }
  if (check.rhs !== undefined) validateRhs(check.rhs, spec, lhs, env);
  return spec;
}

function validateRhs(rhs: Rhs, spec: OperatorSpec, lhs: OperandInfo, env: CheckEnv): void {
  if (rhs.kind === 'val' || rhs.kind === 'transform') {
    validateFieldRhs(rhs, spec, env);
    return;
  }
  if (rhs.kind === 'list' && spec.rhs !== 'list') {
    throw new ConditionError(
      'type_mismatch',
      `'${spec.name}' takes a single value, not a list`,
      rhs.start,
      rhs.end,
    );
  }
  const items = rhs.kind === 'list' ? rhs.items : [rhs];
  if (lhs.numeric) {
    const values = literalValues(rhs, lhs);
    for (const [i, it] of items.entries()) {
      const v = values[i] as string;
      if (Number.isNaN(Number(v)) || v.trim() === '') {
        throw new ConditionError(
          'type_mismatch',
          lhs.time === undefined
            ? `'${it.value}' is not a number`
            : `'${it.value}' is neither a number nor an RFC 3339 time`,
          it.start,
          it.end,
        );
      }
    }
  }
  if (spec.name === 'regex') {
    try {
      compileRegex(items[0]?.value ?? '');
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new ConditionError('bad_regex', `invalid regex pattern: ${why}`, rhs.start, rhs.end);
    }
  }
}

/** A field (`val(f)`) or transformer on the right of an operator. */
function validateFieldRhs(
  rhs: FieldValueRef | TransformRef,
  spec: OperatorSpec,
  env: CheckEnv,
): void {
  // As in libsinsp: a pattern taken from the event would be compiled per event, from
  // text an attacker chooses.
  if (spec.name === 'regex' || spec.name === 'pmatch') {
    throw new ConditionError(
      'unsupported_operator',
      `operator '${spec.name}' doesn't support right-hand side fields`,
      rhs.start,
      rhs.end,
    );
  }
  const info = resolveOperand(rhs.kind === 'val' ? rhs.field : rhs, env);
  if (info.isList && spec.rhs !== 'list') {
    throw new ConditionError(
      'type_mismatch',
      `a list field cannot be compared with '${spec.name}'`,
      rhs.start,
      rhs.end,
    );
  }
}
