import type { EventSource } from '../events/record.ts';
import type { FieldRegistry } from '../fields/field.ts';
import type { Expr } from '../lang/ast.ts';
import { ConditionError } from '../lang/errors.ts';
import { checkExpr } from '../lang/index.ts';
import { type CompiledMacro, parseConditionText } from './compile-macros.ts';
import { applyExceptions } from './exceptions.ts';
import { expandMacros, MAX_VISIBILITY } from './expand.ts';
import { type CompiledList, substituteLists } from './lists.ts';
import { reportInText } from './locate.ts';
import type { MappedText } from './mapped-text.ts';
import { type Context, MSG, type Reporter } from './messages.ts';
import type { ExceptionInfo } from './model.ts';
import { markExceptionClauses, markListOrigins } from './origins.ts';
import { findConditionWarnings } from './warnings.ts';

/** "Unknown field" problems that skip-if-unknown-filter turns into LOAD_UNKNOWN_FILTER. */
export const UNKNOWN_REASONS: ReadonlySet<string> = new Set([
  'unknown_field',
  'unknown_transformer',
]);

/** What compiling one condition of a rule needs besides its text. */
export interface ConditionScope {
  readonly registry: FieldRegistry;
  readonly source: string;
  readonly lists: ReadonlyMap<string, CompiledList>;
  readonly macros: ReadonlyMap<string, CompiledMacro>;
  readonly reporter: Reporter;
  readonly skipIfUnknownFilter: boolean;
  readonly exceptions: readonly ExceptionInfo[];
  /** The rule item: macro problems are reported on it, as Falco does. */
  readonly ruleCtx: Context;
}

function checkText(
  expr: Expr,
  text: string,
  registry: FieldRegistry,
  source: string,
): ConditionError | undefined {
  const errors = checkExpr(expr, { registry, source: source as EventSource });
  const err = errors.find((e) => e.reason !== 'unknown_macro');
  if (err?.reason !== 'unknown_field') return err;
  // Say what was probably meant, unless the language already did.
  const name = text.slice(err.start, err.end).replace(/\[.*$/, '');
  const hint = registry.suggest(name);
  if (hint === undefined || err.message.includes(hint)) return err;
  return new ConditionError(err.reason, MSG.didYouMean(err.message, hint), err.start, err.end);
}

interface Checked {
  readonly text: MappedText;
  readonly ctx: Context;
  readonly expr: Expr;
}

// The rule's own condition and every macro it pulls in, each with its own text, so a
// problem inside a macro points into the macro's condition in the file.
function textsOf(
  own: Checked,
  used: readonly string[],
  macros: ReadonlyMap<string, CompiledMacro>,
): Checked[] {
  const out = [own];
  for (const name of used) {
    const m = macros.get(name);
    if (m?.ast !== undefined) out.push({ text: m.text, ctx: m.info.condCtx, expr: m.ast });
  }
  return out;
}

/** A compiled condition and the fields its exceptions named. */
export interface CompiledConditionText {
  readonly expr: Expr;
  readonly exceptionFields: readonly string[];
}

/**
 * One condition through compiler.cpp's steps: exceptions → list substitution → parse →
 * macro expansion → field and operator checks → warnings. Reports problems and returns
 * undefined when the condition does not compile. Throws RuleLoadError (exceptions).
 */
export function compileConditionText(
  cond: MappedText,
  condCtx: Context,
  scope: ConditionScope,
): CompiledConditionText | undefined {
  const { reporter, macros, registry, source } = scope;
  const withExceptions = applyExceptions(cond, scope.exceptions);
  const text = substituteLists(withExceptions.condition, scope.lists);
  const parsed = parseConditionText(reporter, text, condCtx);
  if (parsed === undefined) return undefined;
  // Where each part came from (a list's item, an exception), for `--explain`.
  const ast = markExceptionClauses(markListOrigins(parsed, text), withExceptions.clauses);
  const expanded = expandMacros(ast, MAX_VISIBILITY, macros);
  for (const name of expanded.used) {
    const m = macros.get(name);
    if (m !== undefined) m.used = true;
  }
  const problem = expanded.problem;
  if (problem !== undefined) {
    if (problem.kind === 'broken') return undefined;
    const msg =
      problem.kind === 'loop' ? MSG.referenceLoop(problem.name) : MSG.undefinedMacro(problem.name);
    reportInText(reporter, 'error', 'LOAD_ERR_VALIDATE', msg, scope.ruleCtx, text, problem.ref);
    return undefined;
  }
  const texts = textsOf({ text, ctx: condCtx, expr: ast }, expanded.used, macros);
  for (const t of texts) {
    const err = checkText(t.expr, t.text.text, registry, source);
    if (err === undefined) continue;
    const skip = scope.skipIfUnknownFilter && UNKNOWN_REASONS.has(err.reason);
    reportInText(
      reporter,
      skip ? 'warn' : 'error',
      skip ? 'LOAD_UNKNOWN_FILTER' : 'LOAD_ERR_COMPILE_CONDITION',
      err.message,
      t.ctx,
      t.text,
      err,
    );
    return undefined;
  }
  for (const t of texts) {
    for (const w of findConditionWarnings(t.expr, registry, source)) {
      reportInText(reporter, 'warn', w.code, w.message, t.ctx, t.text, w);
    }
  }
  return { expr: expanded.expr, exceptionFields: withExceptions.fields };
}
