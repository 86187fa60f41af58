import { type FSWatcher, statSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import {
  formatLoadResult,
  type LoadedRule,
  type LoadResult,
  loadRuleset,
  type Priority,
} from '../rules/index.ts';
import type { Logger } from './log.ts';
import type { ServeMetrics } from './metrics.ts';

/** The outcome of a reload: ok, or the load errors as file:line:col messages. */
export interface ReloadResult {
  readonly ok: boolean;
  readonly errors: readonly string[];
}

/** Loads the rules the way serve does (fresh: a reload must read the files again). */
export function loadServeRules(rules: readonly string[], minPriority: Priority | undefined) {
  return loadRuleset({
    ...(rules.length > 0 ? { rules } : {}),
    ...(minPriority !== undefined ? { minPriority } : {}),
    // Events come from the apiserver's webhook, as to Falco's k8saudit plugin.
    provider: 'webhook',
    cache: false,
  });
}

/** Load errors as one line each (the first line of every formatted message). */
export function loadErrors(result: LoadResult): string[] {
  return formatLoadResult({ ...result, warnings: [] }, { verbose: false })
    .split('\n')
    .filter((l) => / error LOAD_/.test(l));
}

/**
 * Reloads the rules: loads them aside and hands them to `apply` (which switches the
 * running detector) only when the files load without error; otherwise the running rules
 * stay and the errors are logged with their positions. Returns what happened.
 */
export async function reloadRules(
  rules: readonly string[],
  minPriority: Priority | undefined,
  apply: (loaded: readonly LoadedRule[]) => Promise<number>,
  log: Logger,
  metrics: ServeMetrics,
  reason: string,
): Promise<ReloadResult> {
  const result = await loadServeRules(rules, minPriority);
  if (!result.ok) {
    const errors = loadErrors(result);
    metrics.ruleReloads.inc({ result: 'failed' });
    log.error({ reason, errors }, 'rules reload failed; the previous rules keep running');
    return { ok: false, errors };
  }
  const running = await apply(result.rules);
  metrics.ruleReloads.inc({ result: 'ok' });
  metrics.rulesLoaded.set(running);
  log.info({ reason, rules: running }, 'rules reloaded');
  return { ok: true, errors: [] };
}

/**
 * Watches the rules files and directories and calls `onChange` once things settle
 * (editors write a file in several steps; Kubernetes swaps a ConfigMap's symlink).
 */
export function watchRules(
  paths: readonly string[],
  onChange: () => void,
  debounceMs = 500,
): () => void {
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  const fire = (): void => {
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  };
  for (const p of paths) {
    try {
      // A file is watched through its directory: a watch on the file itself follows its
      // inode, which a rename over it (editors, the kubelet's ..data swap for a mounted
      // ConfigMap) leaves behind, so every change after the first went unnoticed.
      const isDir = statSync(p).isDirectory();
      const base = basename(p);
      const w = watch(isDir ? p : dirname(p), { persistent: false }, (_event, name) => {
        if (isDir || name === null || name === base || name.startsWith('..')) fire();
      });
      w.on('error', () => w.close());
      watchers.push(w);
    } catch {
      // A path that cannot be watched still reloads on SIGHUP.
    }
  }
  return () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
