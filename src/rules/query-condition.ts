import type { EventSource } from '../events/record.ts';
import type { Expr } from '../lang/ast.ts';
import { readRulesPaths } from './files.ts';
import { loadRules } from './load.ts';
import type { LoadMessage, LoadResult, RulesSource } from './types.ts';

const QUERY_RULE = '__kaudit_query__';
/** The name positions in a query condition's errors carry. */
export const QUERY_FILE = '<query>';

/** A query condition ready to compile. */
export interface QueryCondition {
  readonly expr: Expr;
  readonly source: EventSource;
  /** The condition after list and macro expansion, printed. */
  readonly expanded: string;
}

/** The outcome of compiling a query: the condition, or the load errors that stop it. */
export type QueryConditionResult =
  | { readonly ok: true; readonly query: QueryCondition }
  | {
      readonly ok: false;
      /** The errors, those that point into the query first; the rest of the load result. */
      readonly result: LoadResult;
      /** Whether the rules files could not be read (as opposed to a bad condition). */
      readonly readFailed: boolean;
    };

/**
 * Compiles an ad-hoc query condition with the lists and macros of the given rules files,
 * by appending it as one synthetic rule after them: the loader then applies exactly the
 * same list substitution, macro expansion and checks as for rules. Errors point into
 * the query text (positions named QUERY_FILE). Never throws.
 */
export async function compileQueryCondition(
  condition: string,
  rulePaths: readonly string[],
): Promise<QueryConditionResult> {
  const source: EventSource = /\bkar\./.test(condition) ? 'k8s_admission' : 'k8s_audit';
  const read = rulePaths.length > 0 ? await readRulesPaths(rulePaths) : { sources: [], errors: [] };
  if (read.errors.length > 0) {
    return {
      ok: false,
      readFailed: true,
      result: { ...loadRules([]), ok: false, errors: read.errors },
    };
  }
  const needed = mayUseDefinitions(condition, read.sources) ? read.sources : [];
  const query: RulesSource = {
    name: QUERY_FILE,
    content: [
      `- rule: ${QUERY_RULE}`,
      '  desc: ad-hoc query',
      `  condition: ${JSON.stringify(condition)}`,
      '  output: query',
      '  priority: DEBUG',
      `  source: ${source}`,
      '',
    ].join('\n'),
  };
  const result = loadRules([...needed, query]);
  const rule = result.rules.find((r) => r.name === QUERY_RULE);
  if (!result.ok || rule === undefined) {
    const inQuery = (e: LoadMessage): boolean =>
      e.locations.some((l) => l.position.name === QUERY_FILE);
    const relevant = result.errors.filter(inQuery);
    const errors = relevant.length > 0 ? relevant : result.errors;
    return { ok: false, readFailed: false, result: { ...result, ok: false, errors, warnings: [] } };
  }
  return { ok: true, query: { expr: rule.condition, source, expanded: rule.compiledCondition } };
}

// Block-style items (`- list: name`, `- macro: name`) name what a condition can use.
const DEFINITION = /^\s*-?\s*(?:list|macro):\s*["']?([^"'\s#]+)/gm;
// Flow-style items could hide a name from that pattern: then always load the files.
const FLOW_ITEM = /[{,]\s*["']?(?:list|macro)["']?\s*:/;

/**
 * Whether the condition could refer to a list or macro of the rules files. Loading a
 * whole ruleset costs more than a small query (0.13 s of 0.45 s for the built-in one), so
 * a condition that names none of their lists and macros is compiled without them; the
 * answer is the same because lists and macros only act where their names appear.
 */
function mayUseDefinitions(condition: string, sources: readonly RulesSource[]): boolean {
  const words = new Set(condition.split(/[^A-Za-z0-9_.:/-]+/).filter((w) => w !== ''));
  for (const src of sources) {
    if (FLOW_ITEM.test(src.content)) return true;
    for (const m of src.content.matchAll(DEFINITION)) {
      if (words.has(m[1] as string)) return true;
    }
  }
  return false;
}
