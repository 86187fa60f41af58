import type { Expr } from '../lang/ast.ts';
import { ConditionError } from '../lang/errors.ts';
import { parseCondition } from '../lang/index.ts';
import { checkConditionSize } from './condition-size.ts';
import {
  type ExpandProblem,
  type ExpansionCache,
  expandMacros,
  type ParsedMacro,
} from './expand.ts';
import { LOAD_LIMITS } from './limits.ts';
import type { CompiledList } from './lists.ts';
import { reportInText } from './locate.ts';
import type { MappedText } from './mapped-text.ts';
import { type Context, MSG, type Reporter } from './messages.ts';
import type { Collection, MacroInfo } from './model.ts';
import { markListOrigins } from './origins.ts';
import { substituteLists } from './substitute-lists.ts';

/** A macro after list substitution and parsing; `ast` is undefined when it failed. */
export interface CompiledMacro extends ParsedMacro {
  readonly info: MacroInfo;
  /** The condition text after list substitution (what was parsed). */
  readonly text: MappedText;
  used: boolean;
}

/**
 * Substitutes the lists into a condition, reporting LOAD_ERR_COMPILE_CONDITION at the list
 * name that would make it longer than LOAD_LIMITS.conditionChars or give it more than
 * LOAD_LIMITS.conditionValues list items (undefined then).
 */
export function substituteListsIn(
  reporter: Reporter,
  cond: MappedText,
  lists: ReadonlyMap<string, CompiledList>,
  condCtx: Context,
): MappedText | undefined {
  const r = substituteLists(cond, lists);
  if (!('kind' in r)) return r;
  const message =
    r.limit === 'chars'
      ? MSG.conditionTooLong(r.list, LOAD_LIMITS.conditionChars)
      : MSG.conditionTooManyItems(r.list, LOAD_LIMITS.conditionValues);
  reportInText(reporter, 'error', 'LOAD_ERR_COMPILE_CONDITION', message, condCtx, r.text, r);
  return undefined;
}

/** Parses a condition, reporting LOAD_ERR_COMPILE_CONDITION at the mapped position. */
export function parseConditionText(
  reporter: Reporter,
  text: MappedText,
  condCtx: Context,
): Expr | undefined {
  try {
    return parseCondition(text.text);
  } catch (e) {
    if (!(e instanceof ConditionError)) throw e;
    reportInText(reporter, 'error', 'LOAD_ERR_COMPILE_CONDITION', e.message, condCtx, text, e);
    return undefined;
  }
}

/** The message for a problem expandMacros found (undefined for a broken macro: no repeat). */
export function describeExpandProblem(problem: ExpandProblem): string | undefined {
  switch (problem.kind) {
    case 'loop':
      return MSG.referenceLoop(problem.name, problem.cycle ?? [problem.name]);
    case 'unknown':
      return MSG.undefinedMacro(problem.name);
    case 'deep':
      return MSG.conditionTooDeep(LOAD_LIMITS.conditionDepth, problem.name);
    case 'broken':
      return undefined;
  }
}

// Expands one macro with its own visibility, marking what it uses and reporting what is
// wrong with it: a bad reference (failed) or an expansion over LOAD_LIMITS (too-large).
function validateMacro(
  m: CompiledMacro,
  ast: Expr,
  parsed: ReadonlyMap<string, CompiledMacro>,
  reporter: Reporter,
  cache: ExpansionCache,
): 'ok' | 'failed' | 'too-large' {
  const r = expandMacros(ast, m.info.visibility, parsed, m.name, cache);
  for (const name of r.used) {
    const used = parsed.get(name);
    if (used !== undefined) used.used = true;
  }
  if (r.problem !== undefined) {
    const message = describeExpandProblem(r.problem);
    if (message === undefined) return 'ok';
    const code = r.problem.kind === 'deep' ? 'LOAD_ERR_COMPILE_CONDITION' : 'LOAD_ERR_VALIDATE';
    reportInText(reporter, 'error', code, message, m.info.condCtx, m.text, r.problem.ref);
    return 'failed';
  }
  const size = checkConditionSize(ast, r.expr, (ref) => cache.get(ref.name)?.expr);
  if (size === undefined) return 'ok';
  reportInText(
    reporter,
    'error',
    'LOAD_ERR_COMPILE_CONDITION',
    size.message,
    m.info.condCtx,
    m.text,
    size.ref ?? ast,
  );
  return 'too-large';
}

/**
 * Compiles macros in definition order (compiler.cpp compile_macros_infos): textual list
 * substitution, parse, then a check that every reference names a macro defined before
 * (LOAD_ERR_VALIDATE "Undefined macro ..."), no reference loop, and that the expansion
 * stays within LOAD_LIMITS (LOAD_ERR_COMPILE_CONDITION at the reference that makes it
 * too large). A macro that fails keeps `ast: undefined`, so rules using it are skipped
 * without a second error. Expansions go into `cache` for the rules to share.
 */
export function compileMacros(
  col: Collection,
  lists: ReadonlyMap<string, CompiledList>,
  reporter: Reporter,
  cache: ExpansionCache,
): Map<string, CompiledMacro> {
  const parsed = new Map<string, CompiledMacro>();
  for (const info of col.macros.values()) {
    const text = substituteListsIn(reporter, info.cond, lists, info.condCtx);
    const bare = text === undefined ? undefined : parseConditionText(reporter, text, info.condCtx);
    // Where each list literal came from, for `--explain` (text is defined when bare is).
    const ast = bare === undefined ? undefined : markListOrigins(bare, text ?? info.cond);
    parsed.set(info.name, {
      name: info.name,
      index: info.index,
      ast,
      info,
      text: text ?? info.cond,
      used: false,
    });
  }
  const failed: string[] = [];
  for (const m of parsed.values()) {
    if (m.ast === undefined) continue;
    const outcome = validateMacro(m, m.ast, parsed, reporter, cache);
    if (outcome === 'failed') failed.push(m.name);
    if (outcome === 'too-large') {
      // At once, unlike the errors above: the macros that use this one are as large, and
      // one error at the first macro over the limit says it.
      parsed.set(m.name, { ...m, ast: undefined });
      cache.delete(m.name);
    }
  }
  for (const name of failed) {
    const m = parsed.get(name);
    if (m !== undefined) parsed.set(name, { ...m, ast: undefined });
    cache.delete(name);
  }
  return parsed;
}
