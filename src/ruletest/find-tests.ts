import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { TESTS_SUFFIX } from './read-tests.ts';

/** Which tests files to run, and the rules they test when the command line says so. */
export interface TestsSelection {
  readonly testsFiles: readonly string[];
  /** Rules files given with `--tests`: they replace each tests file's `rules_files`. */
  readonly rulesFiles?: readonly string[];
  /** Paths that named nothing to run. */
  readonly problems: readonly string[];
}

const MAX_DEPTH = 8;

async function walk(dir: string, depth: number, out: string[]): Promise<void> {
  if (depth > MAX_DEPTH) return;
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, depth + 1, out);
    else if (TESTS_SUFFIX.test(e.name)) out.push(p);
  }
}

/**
 * A path's tests files: itself (a `*.tests.yaml`, or any file given with --tests), the
 * `*.tests.yaml` under a directory, or the tests beside a rules file.
 */
async function testsOf(path: string, problems: string[], explicit: boolean): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) {
    problems.push(`${path}: no such file or directory`);
    return [];
  }
  if (info.isDirectory()) {
    const out: string[] = [];
    await walk(path, 0, out);
    if (out.length === 0) problems.push(`${path}: no *.tests.yaml files in this directory`);
    return out;
  }
  if (explicit || TESTS_SUFFIX.test(path)) return [path];
  const stem = basename(path).replace(/\.ya?ml$/, '');
  for (const ext of ['.tests.yaml', '.tests.yml']) {
    const p = join(dirname(path), `${stem}${ext}`);
    if (existsSync(p)) return [p];
  }
  problems.push(
    `${path}: no tests beside it (write ${stem}.tests.yaml, or give tests with --tests)`,
  );
  return [];
}

/**
 * Finds the tests to run. Without `tests`, each path is a tests file, a directory
 * searched for `*.tests.yaml`, or a rules file whose `<name>.tests.yaml` sits beside
 * it. With `tests`, those are the tests and the paths are the rules they test.
 *
 * @example await findTests(['rules/kaudit-rules.yaml'])
 */
export async function findTests(
  paths: readonly string[],
  tests: readonly string[] = [],
): Promise<TestsSelection> {
  const problems: string[] = [];
  const found: string[] = [];
  const explicit = tests.length > 0;
  for (const p of explicit ? tests : paths) found.push(...(await testsOf(p, problems, explicit)));
  const unique = [...new Set(found)];
  if (tests.length > 0 && paths.length > 0) {
    return { testsFiles: unique, rulesFiles: paths, problems };
  }
  return { testsFiles: unique, problems };
}
