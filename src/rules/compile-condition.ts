import type { EventSource } from '../events/record.ts';
import type { FieldRegistry } from '../fields/field.ts';
import type { Expr } from '../lang/ast.ts';
import { ConditionError } from '../lang/errors.ts';
import { checkExpr } from '../lang/index.ts';
import {
  type CompiledMacro,
  describeExpandProblem,
  parseConditionText,
  substituteListsIn,
} from './compile-macros.ts';
import { checkConditionSize, measureCondition } from './condition-size.ts';
import { applyExceptions } from './exceptions.ts';
import { type ExpandResult, type ExpansionCache, expandMacros, MAX_VISIBILITY } from './expand.ts';
import { LOAD_LIMITS } from './limits.ts';
import type { CompiledList } from './lists.ts';
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
  /** What every condition of one compile pass shares (see createConditionPass). */
  readonly pass: ConditionPass;
}

/** What one condition text gives for one source: its first error and its warnings. */
interface TextFindings {
  readonly error: ConditionError | undefined;
  readonly warnings: ReturnType<typeof findConditionWarnings>;
}

/** The expanded size of the conditions compiled so far, checked against LOAD_LIMITS. */
interface LoadTotals {
  nodes: number;
  values: number;
  reported: boolean;
}

/**
 * State shared by every condition of one compile pass (rule conditions and correlation
 * steps alike): the macros' expansions, each macro's checks by source (checking a macro
 * again for every condition that uses it made loading quadratic), and the expanded size
 * of everything compiled so far.
 */
export interface ConditionPass {
  readonly expansions: ExpansionCache;
  readonly findings: Map<Expr, Map<string, TextFindings>>;
  readonly totals: LoadTotals;
}

/** An empty ConditionPass; compileMacros fills its expansions first. */
export function createConditionPass(): ConditionPass {
  return {
    expansions: new Map(),
    findings: new Map(),
    totals: { nodes: 0, values: 0, reported: false },
  };
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

function findingsOf(t: Checked, scope: ConditionScope): TextFindings {
  const cache = scope.pass.findings;
  let bySource = cache.get(t.expr);
  const known = bySource?.get(scope.source);
  if (known !== undefined) return known;
  const findings = {
    error: checkText(t.expr, t.text.text, scope.registry, scope.source),
    warnings: findConditionWarnings(t.expr, scope.registry, scope.source),
  };
  if (bySource === undefined) {
    bySource = new Map();
    cache.set(t.expr, bySource);
  }
  bySource.set(scope.source, findings);
  return findings;
}

// Reports a problem of macro expansion or size; true when the condition cannot be compiled.
function expansionFails(
  text: MappedText,
  ast: Expr,
  expanded: ExpandResult,
  condCtx: Context,
  scope: ConditionScope,
): boolean {
  const { reporter, pass } = scope;
  const problem = expanded.problem;
  if (problem !== undefined) {
    const msg = describeExpandProblem(problem);
    if (msg === undefined) return true;
    const code = problem.kind === 'deep' ? 'LOAD_ERR_COMPILE_CONDITION' : 'LOAD_ERR_VALIDATE';
    reportInText(reporter, 'error', code, msg, scope.ruleCtx, text, problem.ref);
    return true;
  }
  const big = checkConditionSize(ast, expanded.expr, (ref) => pass.expansions.get(ref.name)?.expr);
  if (big !== undefined) {
    const span = big.ref ?? ast;
    reportInText(reporter, 'error', 'LOAD_ERR_COMPILE_CONDITION', big.message, condCtx, text, span);
    return true;
  }
  // Every expanded condition is printed, compiled and stored: bound them together.
  const size = measureCondition(expanded.expr);
  const t = pass.totals;
  const over =
    t.nodes + size.nodes > LOAD_LIMITS.allConditionNodes
      ? 'nodes'
      : t.values + size.values > LOAD_LIMITS.allConditionValues
        ? 'values'
        : undefined;
  if (over === undefined) {
    t.nodes += size.nodes;
    t.values += size.values;
    return false;
  }
  if (!t.reported) {
    const limit = over === 'nodes' ? LOAD_LIMITS.allConditionNodes : LOAD_LIMITS.allConditionValues;
    const msg = MSG.allConditionsTooLarge(over, limit);
    reportInText(reporter, 'error', 'LOAD_ERR_COMPILE_CONDITION', msg, condCtx, text, ast);
    t.reported = true;
  }
  return true;
}

/** A compiled condition and the fields its exceptions named. */
export interface CompiledConditionText {
  readonly expr: Expr;
  readonly exceptionFields: readonly string[];
}

/**
 * One condition through compiler.cpp's steps: exceptions → list substitution → parse →
 * macro expansion → size bounds (LOAD_LIMITS) → field and operator checks → warnings.
 * Reports problems and returns undefined when the condition does not compile. Throws
 * RuleLoadError (exceptions).
 */
export function compileConditionText(
  cond: MappedText,
  condCtx: Context,
  scope: ConditionScope,
): CompiledConditionText | undefined {
  const { reporter, macros } = scope;
  const withExceptions = applyExceptions(cond, scope.exceptions);
  const text = substituteListsIn(reporter, withExceptions.condition, scope.lists, condCtx);
  if (text === undefined) return undefined;
  const parsed = parseConditionText(reporter, text, condCtx);
  if (parsed === undefined) return undefined;
  // Where each part came from (a list's item, an exception), for `--explain`.
  const ast = markExceptionClauses(markListOrigins(parsed, text), withExceptions.clauses);
  const expanded = expandMacros(ast, MAX_VISIBILITY, macros, undefined, scope.pass.expansions);
  for (const name of expanded.used) {
    const m = macros.get(name);
    if (m !== undefined) m.used = true;
  }
  if (expansionFails(text, ast, expanded, condCtx, scope)) return undefined;
  const texts = textsOf({ text, ctx: condCtx, expr: ast }, expanded.used, macros);
  for (const t of texts) {
    const err = findingsOf(t, scope).error;
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
    for (const w of findingsOf(t, scope).warnings) {
      reportInText(reporter, 'warn', w.code, w.message, t.ctx, t.text, w);
    }
  }
  return { expr: expanded.expr, exceptionFields: withExceptions.fields };
}
