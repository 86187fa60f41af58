import type { FieldRegistry } from '../fields/field.ts';
import { defaultFieldRegistry } from '../fields/index.ts';
import { collectItem } from './collect.ts';
import { compileCollection } from './compile.ts';
import { createReporter, type Reporter, RuleLoadError } from './messages.ts';
import { type Collection, createCollection, type LoaderConfig } from './model.ts';
import type { Priority } from './priority.ts';
import { readRulesItems } from './read.ts';
import { createSourceFile } from './source-file.ts';
import type { LoadResult, RulesSource } from './types.ts';
import { checkPluginRequirement, formatSemVer, pluginsFor } from './versions.ts';

function compileOnce(
  col: Collection,
  reporter: Reporter,
  seen: Set<string>,
  minPriority: Priority | undefined,
  sources: ReadonlyMap<string, FieldRegistry>,
): ReturnType<typeof compileCollection> {
  const pass = createReporter();
  for (const [name, file] of reporter.files) pass.files.set(name, file);
  const out = compileCollection(col, pass, {
    sources,
    ...(minPriority === undefined ? {} : { minPriority }),
  });
  reporter.errors.push(...pass.errors);
  for (const w of pass.warnings) {
    const key = JSON.stringify([w.code, w.message, w.locations]);
    if (seen.has(key)) continue;
    seen.add(key);
    reporter.warnings.push(w);
  }
  return out;
}

/** The event sources kaudit runs; rules of any other source are skipped. */
export const RUN_SOURCES: readonly string[] = ['k8s_audit', 'k8s_admission'];

/** Options of loadRules. */
export interface LoadRulesOptions {
  /** Field table for the sources we run (default: every ka./kar./jevt./json./evt. field). */
  readonly registry?: FieldRegistry;
  /** Rules less severe than this are loaded but disabled (falco.yaml `priority`). */
  readonly minPriority?: Priority;
  /** More sources with their field tables, e.g. a test stand-in for `syscall`. */
  readonly extraSources?: ReadonlyMap<string, FieldRegistry>;
  /**
   * Plugin name → version that `required_plugin_versions` is checked against (default:
   * pluginsFor('auto'), k8saudit with json and k8sadmission).
   */
  readonly plugins?: ReadonlyMap<string, string>;
}

/**
 * Loads rules files in order, as if concatenated (later files see and override earlier
 * items), with Falco's semantics and load-result codes. Never throws for bad input: every
 * problem is in `errors`/`warnings` with file:line:col.
 *
 * @example
 * const result = loadRules([{ name: 'rules.yaml', content }]);
 * if (!result.ok) process.stderr.write(formatLoadResult(result, { verbose: false }));
 */
export function loadRules(
  sources: readonly RulesSource[],
  options: LoadRulesOptions = {},
): LoadResult {
  const reporter = createReporter();
  const registry = options.registry ?? defaultFieldRegistry;
  const runSources = new Map<string, FieldRegistry>(RUN_SOURCES.map((s) => [s, registry]));
  for (const [name, reg] of options.extraSources ?? []) runSources.set(name, reg);
  const cfg: LoaderConfig = { sources: runSources, reporter };
  const col = createCollection();
  const seen = new Set<string>();
  let compiled: ReturnType<typeof compileCollection> | undefined;
  for (const source of sources) {
    const file = createSourceFile(source.name, source.content);
    reporter.files.set(source.name, file);
    try {
      for (const item of readRulesItems(file).items) collectItem(cfg, col, item, []);
    } catch (e) {
      if (!(e instanceof RuleLoadError)) throw e;
      // Falco stops a file at its first error and does not compile after a failed read.
      reporter.fail(e);
      break;
    }
    // Falco compiles everything collected after each file, so a file's unused-item
    // warnings appear even when a later file fails; repeats are reported once.
    compiled = compileOnce(col, reporter, seen, options.minPriority, runSources);
    if (reporter.errors.length > 0) break;
  }
  if (reporter.errors.length === 0) {
    const plugins = options.plugins ?? pluginsFor('auto');
    for (const req of col.plugins) {
      const problem = checkPluginRequirement(req.alternatives, plugins);
      if (problem !== undefined) reporter.error('LOAD_ERR_VALIDATE', problem, req.ctx);
    }
  }
  return {
    ok: reporter.errors.length === 0,
    errors: reporter.errors,
    warnings: reporter.warnings,
    rules: compiled?.rules ?? [],
    skippedRules: compiled?.skippedRules ?? [],
    lists: compiled?.lists ?? new Map(),
    ...(col.requiredEngineVersion === undefined
      ? {}
      : { requiredEngineVersion: formatSemVer(col.requiredEngineVersion) }),
  };
}
