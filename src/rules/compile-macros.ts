import type { Expr } from '../lang/ast.ts';
import { ConditionError } from '../lang/errors.ts';
import { parseCondition } from '../lang/index.ts';
import { expandMacros, type ParsedMacro } from './expand.ts';
import { type CompiledList, substituteLists } from './lists.ts';
import { reportInText } from './locate.ts';
import type { MappedText } from './mapped-text.ts';
import { type Context, MSG, type Reporter } from './messages.ts';
import type { Collection, MacroInfo } from './model.ts';
import { markListOrigins } from './origins.ts';

/** A macro after list substitution and parsing; `ast` is undefined when it failed. */
export interface CompiledMacro extends ParsedMacro {
  readonly info: MacroInfo;
  /** The condition text after list substitution (what was parsed). */
  readonly text: MappedText;
  used: boolean;
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

/**
 * Compiles macros in definition order (compiler.cpp compile_macros_infos): textual list
 * substitution, parse, then a check that every reference names a macro defined before
 * (LOAD_ERR_VALIDATE "Undefined macro ..."), and no reference loop. A macro that fails
 * keeps `ast: undefined`, so rules using it are skipped without a second error.
 */
export function compileMacros(
  col: Collection,
  lists: ReadonlyMap<string, CompiledList>,
  reporter: Reporter,
): Map<string, CompiledMacro> {
  const parsed = new Map<string, CompiledMacro>();
  for (const info of col.macros.values()) {
    const text = substituteLists(info.cond, lists);
    const bare = parseConditionText(reporter, text, info.condCtx);
    const ast = bare === undefined ? undefined : markListOrigins(bare, text);
    parsed.set(info.name, { name: info.name, index: info.index, ast, info, text, used: false });
  }
  const failed: string[] = [];
  for (const m of parsed.values()) {
    if (m.ast === undefined) continue;
    const r = expandMacros(m.ast, m.info.visibility, parsed, m.name);
    for (const name of r.used) {
      const used = parsed.get(name);
      if (used !== undefined) used.used = true;
    }
    if (r.problem === undefined || r.problem.kind === 'broken') continue;
    const msg =
      r.problem.kind === 'loop'
        ? MSG.referenceLoop(r.problem.name)
        : MSG.undefinedMacro(r.problem.name);
    reportInText(
      reporter,
      'error',
      'LOAD_ERR_VALIDATE',
      msg,
      m.info.condCtx,
      m.text,
      r.problem.ref,
    );
    failed.push(m.name);
  }
  for (const name of failed) {
    const m = parsed.get(name);
    if (m !== undefined) parsed.set(name, { ...m, ast: undefined });
  }
  return parsed;
}
