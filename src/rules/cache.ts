import { createHash } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadResult, RulesSource } from './types.ts';

// Set by scripts/build.mjs: only the bundle has a stable identity to key the cache with
// (its size and mtime); run from the sources through tsx, the cache is off, so an edit
// to the loader can never be hidden by a result an older loader stored.
declare const __KAUDIT_BUNDLE__: boolean | undefined;

/** Format of the stored file; bump when LoadResult's shape changes. */
const FORMAT = 2;
/** Newest entries kept; older ones are removed when a new one is written. */
const KEEP = 16;

/**
 * Where loaded rules are cached, or undefined when caching is off: running from the
 * sources, `KAUDIT_NO_CACHE=1`, or no home directory. `KAUDIT_CACHE_DIR` overrides the
 * default `$XDG_CACHE_HOME/kaudit` (`~/.cache/kaudit`).
 */
export function rulesCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (typeof __KAUDIT_BUNDLE__ === 'undefined' || env.KAUDIT_NO_CACHE === '1') return undefined;
  if (env.KAUDIT_CACHE_DIR) return env.KAUDIT_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || (homedir() ? join(homedir(), '.cache') : '');
  return base ? join(base, 'kaudit') : undefined;
}

function codeIdentity(): string {
  const st = statSync(fileURLToPath(import.meta.url));
  return `${st.size}:${st.mtimeMs}`;
}

/**
 * The cache key of one load: the code that loads, the options, and every file's name
 * (it appears in positions) and exact text.
 */
export function rulesCacheKey(sources: readonly RulesSource[], options: unknown): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([FORMAT, codeIdentity(), options]));
  for (const s of sources) h.update(`\u0000${s.name}\u0000${s.content.length}\u0000${s.content}`);
  return h.digest('hex').slice(0, 40);
}

/** A stored successful load, or undefined (missing, unreadable, or another format). */
export function readCachedLoad(dir: string, key: string): LoadResult | undefined {
  try {
    const file = join(dir, `rules-${key}.json`);
    // Only our own, not group- or world-writable: whoever can write an entry decides
    // which rules run (in a shared KAUDIT_CACHE_DIR, say).
    const st = statSync(file);
    if ((st.mode & 0o022) !== 0 || (process.getuid !== undefined && st.uid !== process.getuid())) {
      return undefined;
    }
    const v = JSON.parse(readFileSync(file, 'utf8')) as {
      format: number;
      result: Omit<LoadResult, 'lists'> & { lists: [string, string[]][] };
    };
    if (v.format !== FORMAT) return undefined;
    return { ...v.result, lists: new Map(v.result.lists) };
  } catch {
    return undefined;
  }
}

/**
 * Stores a successful load (atomically: written aside, then renamed) and prunes old
 * entries. Best effort: a cache that cannot be written only costs the next run time.
 */
export function writeCachedLoad(dir: string, key: string, result: LoadResult): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, `rules-${key}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    const stored = { format: FORMAT, result: { ...result, lists: [...result.lists] } };
    writeFileSync(tmp, JSON.stringify(stored), { mode: 0o600 });
    renameSync(tmp, file);
    const entries = readdirSync(dir)
      .filter((n) => n.startsWith('rules-') && n.endsWith('.json'))
      .map((n) => ({ n, m: statSync(join(dir, n)).mtimeMs }))
      .sort((a, b) => b.m - a.m);
    for (const e of entries.slice(KEEP)) unlinkSync(join(dir, e.n));
  } catch {
    // Read-only home, full disk, a concurrent prune: run without the cache.
  }
}
