import type { EventSource } from '../events/record.ts';
import type { Expr } from '../lang/ast.ts';
import { ConditionError } from '../lang/errors.ts';
import { parseOutputFormat, printExpr } from '../lang/index.ts';
import { type ConditionScope, compileConditionText } from './compile-condition.ts';
import type { CorrelationSpec, CorrelationStep, KeyTerm, SuppressSpec } from './correlation.ts';
import { reportInText } from './locate.ts';
import { textOfScalar } from './mapped-text.ts';
import { ITEM, MSG } from './messages.ts';
import type { CorrelateInfo, SuppressInfo, TermInfo } from './read-correlation.ts';

/**
 * A term as an output template, checked against the rule's fields: a bare field becomes
 * `%field`; a template is used as written. Reports problems at the term's position.
 */
function compileTerm(t: TermInfo, scope: ConditionScope): KeyTerm | undefined {
  const text = t.node.value;
  const bare = !text.includes('%');
  const template = bare ? `%${text}` : text;
  const shift = bare ? 1 : 0;
  const env = { registry: scope.registry, source: scope.source as EventSource };
  const report = (message: string, start: number, end: number, reason?: string): undefined => {
    reportInText(
      scope.reporter,
      'error',
      'LOAD_ERR_COMPILE_CONDITION',
      message,
      t.ctx,
      textOfScalar(t.node),
      {
        start: Math.max(0, start - shift),
        end: Math.max(1, end - shift),
        ...(reason ? { reason } : {}),
      },
      ITEM.correlationTerm,
      t.label,
    );
    return undefined;
  };
  try {
    const segments = parseOutputFormat(template, env);
    const only = segments[0];
    if (bare && (segments.length !== 1 || only?.operand === undefined)) {
      return report(MSG.termNotSingleField(text), 1, template.length);
    }
  } catch (e) {
    if (!(e instanceof ConditionError)) throw e;
    return report(e.message, e.start, e.end, e.reason);
  }
  return { label: t.label, template };
}

function compileTerms(terms: readonly TermInfo[], scope: ConditionScope): KeyTerm[] | undefined {
  const out: KeyTerm[] = [];
  let ok = true;
  for (const t of terms) {
    const k = compileTerm(t, scope);
    if (k === undefined) ok = false;
    else out.push(k);
  }
  return ok ? out : undefined;
}

/** A compiled `correlate:` and the `or` of its steps' conditions. */
export interface CompiledCorrelation {
  readonly spec: CorrelationSpec;
  readonly condition: Expr;
  readonly exceptionFields: readonly string[];
}

/**
 * Compiles each step's condition as a rule condition (exceptions, lists, macros, checks)
 * and checks every term. Reports every problem; undefined when anything failed.
 */
export function compileCorrelation(
  info: CorrelateInfo,
  scope: ConditionScope,
): CompiledCorrelation | undefined {
  const steps: CorrelationStep[] = [];
  const exceptionFields = new Set<string>();
  let ok = true;
  for (const s of info.steps) {
    const compiled = compileConditionText(s.cond, s.condCtx, scope);
    const by = compileTerms(s.by, scope);
    if (compiled === undefined || by === undefined) {
      ok = false;
      continue;
    }
    for (const f of compiled.exceptionFields) exceptionFields.add(f);
    steps.push({
      name: s.name,
      condition: compiled.expr,
      compiledCondition: printExpr(compiled.expr),
      by,
    });
  }
  const by = compileTerms(info.by, scope);
  const field = info.field === undefined ? undefined : compileTerm(info.field, scope);
  if (!ok || by === undefined || (info.field !== undefined && field === undefined)) {
    return undefined;
  }
  const exprs = steps.map((s) => s.condition);
  const condition: Expr =
    exprs.length === 1 ? (exprs[0] as Expr) : { kind: 'or', children: exprs, start: 0, end: 0 };
  return {
    spec: {
      kind: info.kind,
      windowMs: info.windowMs,
      by,
      count: info.count,
      ...(field === undefined ? {} : { field }),
      steps,
    },
    condition,
    exceptionFields: [...exceptionFields],
  };
}

/** Compiles `suppress:` (its terms checked against the rule's fields). */
export function compileSuppress(
  info: SuppressInfo,
  scope: ConditionScope,
): SuppressSpec | undefined {
  const by = compileTerms(info.by, scope);
  return by === undefined ? undefined : { windowMs: info.windowMs, by };
}
