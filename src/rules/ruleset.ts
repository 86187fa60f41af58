import { join } from 'node:path';
import { packageRoot } from '../package-root.ts';
import { readCachedLoad, rulesCacheDir, rulesCacheKey, writeCachedLoad } from './cache.ts';
import { readRulesPaths } from './files.ts';
import { type LoadRulesOptions, loadRules, RUN_SOURCES } from './load.ts';
import { ITEM, MSG } from './messages.ts';
import type { Priority } from './priority.ts';
import type { LoadMessage, LoadResult, RulesSource } from './types.ts';
import { type EventProvider, pluginsFor } from './versions.ts';

/** The built-in ruleset, used when no rules files are given. */
export const DEFAULT_RULES_PATH = join(packageRoot(), 'rules', 'kaudit-rules.yaml');

/** What to load: rules files and directories (default: the built-in ruleset). */
export interface RulesetOptions {
  readonly rules?: readonly string[];
  /** Rules less severe than this are loaded disabled (falco.yaml `priority`). */
  readonly minPriority?: Priority;
  /** Use the on-disk cache of loads when it is on (default true; see cache.ts). */
  readonly cache?: boolean;
  /**
   * What reads the events, which decides the plugins `required_plugin_versions` is
   * checked against (see pluginsFor; default `auto`).
   */
  readonly provider?: EventProvider;
}

/**
 * Loads rules through the on-disk cache when it is on (see cache.ts): loading Falco's
 * rules cold takes about 170 ms of a run's start-up, reading the cached result a few.
 * Only successful loads are stored; a failing one is reported from a fresh load.
 */
function loadCached(sources: readonly RulesSource[], options: LoadRulesOptions): LoadResult {
  const dir = rulesCacheDir();
  if (dir === undefined) return loadRules(sources, options);
  // A Map stringifies as {}: the plugins go into the key as entries.
  const key = rulesCacheKey(sources, { ...options, plugins: [...(options.plugins ?? [])] });
  const hit = readCachedLoad(dir, key);
  if (hit !== undefined) return hit;
  const result = loadRules(sources, options);
  if (result.ok) writeCachedLoad(dir, key, result);
  return result;
}

/**
 * Reads the rules files (or the built-in ruleset) and loads them. Never throws and
 * never prints: a file that cannot be read is a LOAD_ERR_FILE_READ error in the result,
 * as every other problem, so a server can load new rules and keep the old ones running
 * when they fail.
 *
 * @example
 * const result = await loadRuleset({ rules: ['k8s_audit_rules.yaml'] });
 * if (!result.ok) console.error(formatLoadResult(result, { verbose: false }));
 */
export async function loadRuleset(opts: RulesetOptions = {}): Promise<LoadResult> {
  const paths = opts.rules && opts.rules.length > 0 ? opts.rules : [DEFAULT_RULES_PATH];
  const read = await readRulesPaths(paths);
  const loadOptions: LoadRulesOptions = {
    plugins: pluginsFor(opts.provider ?? 'auto'),
    ...(opts.minPriority === undefined ? {} : { minPriority: opts.minPriority }),
  };
  if (read.errors.length > 0) {
    return { ...loadRules([], loadOptions), ok: false, errors: read.errors };
  }
  const result =
    opts.cache === false
      ? loadRules(read.sources, loadOptions)
      : loadCached(read.sources, loadOptions);
  return requireRulesToRun(result, read.sources);
}

/**
 * A load that succeeded without a single rule of a source kaudit runs (an empty file, a
 * syscall ruleset) becomes an error: every caller of loadRuleset runs the rules, and
 * running none would say OK while never alerting. `rules validate` loads without this,
 * as Falco validates an empty file as Ok.
 */
function requireRulesToRun(result: LoadResult, sources: readonly RulesSource[]): LoadResult {
  if (!result.ok || result.rules.length > 0) return result;
  const name = sources[0]?.name ?? '';
  const error: LoadMessage = {
    code: 'LOAD_ERR_VALIDATE',
    message: MSG.noRulesToRun(RUN_SOURCES, result.skippedRules.length),
    locations: [
      {
        itemType: ITEM.rulesContent,
        itemName: '',
        position: { name, line: 1, column: 1, offset: 0 },
      },
    ],
  };
  return { ...result, ok: false, errors: [error] };
}
