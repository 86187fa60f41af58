import type { EventSource } from '../events/record.ts';
import type { FieldRegistry } from '../fields/field.ts';
import { CORRELATION_FIELD_PREFIX, withCorrelationFields } from '../fields/index.ts';
import type { Expr } from '../lang/ast.ts';
import { ConditionError } from '../lang/errors.ts';
import { parseOutputFormat, printExpr } from '../lang/index.ts';
import {
  type ConditionPass,
  type ConditionScope,
  compileConditionText,
  createConditionPass,
  UNKNOWN_REASONS,
} from './compile-condition.ts';
import { compileCorrelation, compileSuppress } from './compile-correlation.ts';
import { type CompiledMacro, compileMacros } from './compile-macros.ts';
import type { CorrelationSpec } from './correlation.ts';
import { applyExceptions } from './exceptions.ts';
import { type CompiledList, compileLists } from './lists.ts';
import { reportInText } from './locate.ts';
import { ITEM, MSG, type Reporter, RuleLoadError } from './messages.ts';
import type { Collection, RuleInfo } from './model.ts';
import { type Priority, priorityRank } from './priority.ts';
import type { LoadedRule } from './types.ts';

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
    const token = r.output.text.slice(e.start, e.end);
    const message =
      e.reason === 'unknown_field' && token.startsWith(CORRELATION_FIELD_PREFIX)
        ? MSG.correlationFieldInPlainRule(token)
        : e.message;
    reportInText(
      reporter,
      skip ? 'warn' : 'error',
      skip ? 'LOAD_UNKNOWN_FILTER' : 'LOAD_ERR_COMPILE_OUTPUT',
      message,
      r.outputCtx,
      r.output,
      e,
      ITEM.ruleOutputExpression,
    );
    return skip ? 'skip' : 'error';
  }
}

// The rule's condition: its own, or its correlation steps' `or`.
function compileConditions(
  r: RuleInfo,
  scope: ConditionScope,
):
  | { condition: Expr; exceptionFields: readonly string[]; correlation?: CorrelationSpec }
  | undefined {
  if (r.correlate === undefined) {
    const c = compileConditionText(r.cond, r.condCtx, scope);
    return c && { condition: c.expr, exceptionFields: c.exceptionFields };
  }
  const c = compileCorrelation(r.correlate, scope);
  return c && { condition: c.condition, exceptionFields: c.exceptionFields, correlation: c.spec };
}

/** Shared by every rule of one compile pass. */
interface RuleCompileState {
  readonly registry: FieldRegistry;
  readonly lists: ReadonlyMap<string, CompiledList>;
  readonly macros: ReadonlyMap<string, CompiledMacro>;
  readonly pass: ConditionPass;
  readonly reporter: Reporter;
  readonly minPriority: Priority | undefined;
}

function compileRule(r: RuleInfo, st: RuleCompileState): LoadedRule | undefined {
  const { registry, reporter } = st;
  const scope: ConditionScope = {
    registry,
    source: r.source,
    lists: st.lists,
    macros: st.macros,
    reporter,
    skipIfUnknownFilter: r.skipIfUnknownFilter,
    exceptions: r.exceptions,
    ruleCtx: r.ctx,
    pass: st.pass,
  };
  // Falco builds the exception clauses before it checks the output: a broken exception
  // is the error reported, even when the output is broken too.
  for (const cond of r.correlate?.steps.map((s) => s.cond) ?? [r.cond]) {
    applyExceptions(cond, r.exceptions);
  }
  const stateful = r.correlate !== undefined || r.suppress !== undefined;
  const outputRegistry = stateful ? withCorrelationFields(registry) : registry;
  if (validateOutput(r, outputRegistry, reporter) !== 'ok') return undefined;
  const compiled = compileConditions(r, scope);
  const suppress = r.suppress === undefined ? undefined : compileSuppress(r.suppress, scope);
  if (compiled === undefined || (r.suppress !== undefined && suppress === undefined)) {
    return undefined;
  }
  const belowMinimum =
    st.minPriority !== undefined && priorityRank(r.priority) > priorityRank(st.minPriority);
  return {
    name: r.name,
    desc: r.desc,
    condition: compiled.condition,
    compiledCondition: printExpr(compiled.condition),
    output: r.output.text,
    priority: r.priority,
    source: r.source,
    tags: [...r.tags].sort(),
    enabled: r.enabled && !belowMinimum,
    ...(belowMinimum ? { belowMinPriority: true } : {}),
    exceptionFields: compiled.exceptionFields,
    position: r.firstPosition,
    changes: r.changes,
    ...(compiled.correlation === undefined ? {} : { correlation: compiled.correlation }),
    ...(suppress === undefined ? {} : { suppress }),
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
  // Macro expansions, macro checks and the load's size totals, shared by every condition.
  const pass = createConditionPass();
  const macros = compileMacros(col, lists, reporter, pass.expansions);
  const rules: LoadedRule[] = [];
  const skippedRules: string[] = [];
  for (const r of col.rules.values()) {
    const registry = r.unknownSource ? undefined : options.sources.get(r.source);
    if (registry === undefined) {
      skippedRules.push(r.name);
      continue;
    }
    try {
      const rule = compileRule(r, {
        registry,
        lists,
        macros,
        pass,
        reporter,
        minPriority: options.minPriority,
      });
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
