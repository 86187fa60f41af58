import type { EventSource } from '../events/record.ts';
import type { FieldRegistry } from '../fields/field.ts';
import type { Expr } from '../lang/ast.ts';
import { ConditionError } from '../lang/errors.ts';
import { checkExpr, parseOutputFormat, printExpr } from '../lang/index.ts';
import { type CompiledMacro, compileMacros, parseConditionText } from './compile-macros.ts';
import { applyExceptions } from './exceptions.ts';
import { expandMacros, MAX_VISIBILITY } from './expand.ts';
import { type CompiledList, compileLists, substituteLists } from './lists.ts';
import { reportInText } from './locate.ts';
import type { MappedText } from './mapped-text.ts';
import { type Context, ITEM, MSG, type Reporter, RuleLoadError } from './messages.ts';
import type { Collection, RuleInfo } from './model.ts';
import { markExceptionClauses, markListOrigins } from './origins.ts';
import { type Priority, priorityRank } from './priority.ts';
import type { LoadedRule } from './types.ts';
import { findConditionWarnings } from './warnings.ts';

/** What compiling a collection produces. */
export interface CompileOutput {
  readonly rules: LoadedRule[];
  readonly skippedRules: string[];
  readonly lists: ReadonlyMap<string, readonly string[]>;
}

/** Compile-time settings. */
export interface CompileOptions {
  readonly sources: ReadonlyMap<string, FieldRegistry>;
  readonly minPriority?: Priority;
}

// "Unknown field" problems that skip-if-unknown-filter turns into LOAD_UNKNOWN_FILTER.
const UNKNOWN_REASONS = new Set(['unknown_field', 'unknown_transformer']);

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

function validateOutput(
  r: RuleInfo,
  registry: FieldRegistry,
  reporter: Reporter,
): 'ok' | 'skip' | 'error' {
  try {
    parseOutputFormat(r.output.text, { registry, source: r.source as EventSource });
    return 'ok';
  } catch (e) {
    if (!(e instanceof ConditionError)) throw e;
    const skip = r.skipIfUnknownFilter && UNKNOWN_REASONS.has(e.reason);
    reportInText(
      reporter,
      skip ? 'warn' : 'error',
      skip ? 'LOAD_UNKNOWN_FILTER' : 'LOAD_ERR_COMPILE_OUTPUT',
      e.message,
      r.outputCtx,
      r.output,
      e,
      ITEM.ruleOutputExpression,
    );
    return skip ? 'skip' : 'error';
  }
}

function compileRule(
  r: RuleInfo,
  registry: FieldRegistry,
  lists: ReadonlyMap<string, CompiledList>,
  macros: ReadonlyMap<string, CompiledMacro>,
  reporter: Reporter,
  minPriority: Priority | undefined,
): LoadedRule | undefined {
  const withExceptions = applyExceptions(r.cond, r.exceptions);
  if (validateOutput(r, registry, reporter) !== 'ok') return undefined;
  const text = substituteLists(withExceptions.condition, lists);
  const parsed = parseConditionText(reporter, text, r.condCtx);
  if (parsed === undefined) return undefined;
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
    reportInText(reporter, 'error', 'LOAD_ERR_VALIDATE', msg, r.ctx, text, problem.ref);
    return undefined;
  }
  const texts = textsOf({ text, ctx: r.condCtx, expr: ast }, expanded.used, macros);
  for (const t of texts) {
    const err = checkText(t.expr, t.text.text, registry, r.source);
    if (err === undefined) continue;
    const skip = r.skipIfUnknownFilter && UNKNOWN_REASONS.has(err.reason);
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
    for (const w of findConditionWarnings(t.expr, registry, r.source)) {
      reportInText(reporter, 'warn', w.code, w.message, t.ctx, t.text, w);
    }
  }
  const belowMinimum =
    minPriority !== undefined && priorityRank(r.priority) > priorityRank(minPriority);
  return {
    name: r.name,
    desc: r.desc,
    condition: expanded.expr,
    compiledCondition: printExpr(expanded.expr),
    output: r.output.text,
    priority: r.priority,
    source: r.source,
    tags: [...r.tags].sort(),
    enabled: r.enabled && !belowMinimum,
    ...(belowMinimum ? { belowMinPriority: true } : {}),
    exceptionFields: withExceptions.fields,
    position: r.firstPosition,
  };
}

/**
 * The pipeline of compiler.cpp: lists, then macros, then each rule of a source we run
 * (exceptions → output check → list substitution → parse → macro expansion → field and
 * operator checks → warnings). Unlike Falco, which stops at the first error, every rule
 * is compiled so one run reports every broken rule; unused-item warnings come only when
 * nothing failed, as in Falco.
 */
export function compileCollection(
  col: Collection,
  reporter: Reporter,
  options: CompileOptions,
): CompileOutput {
  const errorsBefore = reporter.errors.length;
  const lists = compileLists(col, reporter);
  const macros = compileMacros(col, lists, reporter);
  const rules: LoadedRule[] = [];
  const skippedRules: string[] = [];
  for (const r of col.rules.values()) {
    const registry = r.unknownSource ? undefined : options.sources.get(r.source);
    if (registry === undefined) {
      skippedRules.push(r.name);
      continue;
    }
    try {
      const rule = compileRule(r, registry, lists, macros, reporter, options.minPriority);
      if (rule !== undefined) rules.push(rule);
    } catch (e) {
      if (!(e instanceof RuleLoadError)) throw e;
      reporter.fail(e);
    }
  }
  if (reporter.errors.length === errorsBefore) {
    for (const m of macros.values()) {
      if (!m.used) {
        reporter.warn('LOAD_UNUSED_MACRO', MSG.unusedMacro, m.info.ctx);
      }
    }
    for (const l of lists.values()) {
      const info = col.lists.get(l.name);
      if (!l.used && info !== undefined) {
        reporter.warn('LOAD_UNUSED_LIST', MSG.unusedList, info.ctx);
      }
    }
  }
  const listItems = new Map<string, readonly string[]>();
  for (const l of lists.values()) listItems.set(l.name, l.items);
  return { rules, skippedRules, lists: listItems };
}
