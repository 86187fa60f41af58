import { join } from 'node:path';
import type { Priority } from '../rules/index.ts';
import {
  applyRuleSelection,
  formatLoadResult,
  type LoadResult,
  type LoadRulesOptions,
  loadRules,
  type RulesSource,
  readRulesPaths,
} from '../rules/index.ts';
import { CliError, EXIT_FAIL } from './errors.ts';
import { packageRoot } from './package-root.ts';
import { readCachedLoad, rulesCacheDir, rulesCacheKey, writeCachedLoad } from './rules-cache.ts';

/** The built-in ruleset, used when no `-r` is given. */
export const DEFAULT_RULES_PATH = join(packageRoot(), 'rules', 'kaudit-rules.yaml');

/** `--enable`/`--disable` values: a rule-name glob, or `tag:NAME` for a tag. */
export interface SelectionArg {
  readonly action: 'enable' | 'disable';
  readonly value: string;
}

export interface RulesetOptions {
  readonly rules?: readonly string[];
  readonly selections?: readonly SelectionArg[];
  readonly minPriority?: Priority;
  /** Print warnings too (errors are always printed). */
  readonly warnings?: boolean;
  readonly stderr: NodeJS.WritableStream;
}

/**
 * Loads rules through the on-disk cache when it is on (see rules-cache.ts): loading
 * Falco's rules cold takes about 170 ms of a run's start-up, reading the cached result
 * a few. Only successful loads are stored; a failing one is reported from a fresh load.
 */
function loadCached(sources: readonly RulesSource[], options: LoadRulesOptions): LoadResult {
  const dir = rulesCacheDir();
  if (dir === undefined) return loadRules(sources, options);
  const key = rulesCacheKey(sources, options);
  const hit = readCachedLoad(dir, key);
  if (hit !== undefined) return hit;
  const result = loadRules(sources, options);
  if (result.ok) writeCachedLoad(dir, key, result);
  return result;
}

/**
 * Reads and loads the rules files (or the built-in ruleset), prints any load errors with
 * their positions to stderr, and applies `--enable`/`--disable` in order. Throws CliError
 * (exit 1) when the rules do not load.
 */
export async function loadRuleset(opts: RulesetOptions): Promise<LoadResult> {
  const paths = opts.rules && opts.rules.length > 0 ? opts.rules : [DEFAULT_RULES_PATH];
  const read = await readRulesPaths(paths);
  if (read.errors.length > 0) {
    const first = read.errors[0];
    throw new CliError(first ? first.message : 'cannot read rules', EXIT_FAIL);
  }
  const loadOptions = opts.minPriority === undefined ? {} : { minPriority: opts.minPriority };
  const result = loadCached(read.sources, loadOptions);
  if (!result.ok) {
    opts.stderr.write(formatLoadResult(result, { verbose: false }));
    throw new CliError(`rules failed to load (${result.errors.length} error(s))`, EXIT_FAIL);
  }
  if (opts.warnings && result.warnings.length > 0) {
    opts.stderr.write(formatLoadResult(result, { verbose: true }));
  }
  if (opts.selections && opts.selections.length > 0) {
    applyRuleSelection(
      result.rules,
      opts.selections.map((s) =>
        s.value.startsWith('tag:')
          ? { action: s.action, tag: s.value.slice(4) }
          : { action: s.action, rule: s.value },
      ),
    );
  }
  return result;
}
