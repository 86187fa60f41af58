import type { EventSource } from '../events/record.ts';
import type { Expr } from '../lang/ast.ts';
import { loadRules, readRulesPaths, type RulesSource } from '../rules/index.ts';
import { formatLoadResult } from '../rules/index.ts';
import { CliError, EXIT_USAGE } from './errors.ts';

const QUERY_RULE = '__kaudit_query__';
const QUERY_FILE = '<query>';

export interface QueryCondition {
  readonly expr: Expr;
  readonly source: EventSource;
  /** The condition after list and macro expansion, printed. */
  readonly expanded: string;
}

/**
 * Compiles an ad-hoc query condition with the lists and macros of the given rules files,
 * by appending it as one synthetic rule after them: the loader then applies exactly the
 * same list substitution, macro expansion and checks as for rules. Errors point into
 * the query text with a caret.
 */
export async function compileQueryCondition(
  condition: string,
  rulePaths: readonly string[],
): Promise<QueryCondition> {
  const source: EventSource = /\bkar\./.test(condition) ? 'k8s_admission' : 'k8s_audit';
  const read = rulePaths.length > 0 ? await readRulesPaths(rulePaths) : { sources: [], errors: [] };
  if (read.errors.length > 0) {
    throw new CliError(read.errors[0]?.message ?? 'cannot read rules');
  }
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
  const result = loadRules([...read.sources, query]);
  const rule = result.rules.find((r) => r.name === QUERY_RULE);
  if (!result.ok || rule === undefined) {
    const relevant = result.errors.filter((e) =>
      e.locations.some((l) => l.position.name === QUERY_FILE),
    );
    const shown = relevant.length > 0 ? relevant : result.errors;
    const text = formatLoadResult({ ...result, errors: shown, warnings: [] }, { verbose: false });
    throw new CliError(`kaudit: invalid query condition\n${text.trimEnd()}`, EXIT_USAGE);
  }
  return { expr: rule.condition, source, expanded: rule.compiledCondition };
}
