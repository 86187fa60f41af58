import { readFile } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { DEFAULT_RULES_PATH } from '../../rules/index.ts';
import { findTests, readTestsFile, type TestFile } from '../../ruletest/index.ts';
import type { CommandIo } from '../command-io.ts';
import { CliError, EXIT_FAIL } from '../errors.ts';

/** A path as the user would type it: relative to the working directory when inside it. */
export function displayPath(p: string): string {
  if (!isAbsolute(p)) return p;
  const rel = relative(process.cwd(), p);
  return rel.startsWith('..') ? p : rel;
}

/** The tests files a `rules test`/`rules mutate` command line names, read and checked. */
export interface SelectedTests {
  readonly files: readonly TestFile[];
  /** Some path named nothing to run (already reported on stderr). */
  readonly problems: boolean;
}

/**
 * Finds and reads the tests for `[PATHS] [--tests ...]` (default: the built-in rules and
 * the tests beside them). Throws CliError when there is nothing to run.
 */
export async function selectTests(
  paths: readonly string[],
  tests: readonly string[],
  io: CommandIo,
): Promise<SelectedTests> {
  const given = paths.length > 0 || tests.length > 0 ? paths : [DEFAULT_RULES_PATH];
  const found = await findTests(given, tests);
  for (const p of found.problems) io.stderr.write(`kaudit: ${p}\n`);
  if (found.testsFiles.length === 0) throw new CliError('kaudit: no tests to run', EXIT_FAIL);
  const files: TestFile[] = [];
  for (const p of found.testsFiles) {
    const text = await readFile(p, 'utf8').catch((e: Error) => {
      throw new CliError(`kaudit: ${p}: ${e.message}`, EXIT_FAIL);
    });
    const opts = found.rulesFiles === undefined ? {} : { rulesFiles: found.rulesFiles };
    files.push(readTestsFile(displayPath(p), text, opts));
  }
  return { files, problems: found.problems.length > 0 };
}
