import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createReporter, ITEM, MSG } from './messages.ts';
import type { LoadMessage, RulesSource } from './types.ts';

function readError(path: string, err: unknown): LoadMessage {
  const detail = err instanceof Error ? err.message : String(err);
  return fileError(path, MSG.readFailed(path, detail));
}

/** A LOAD_ERR_FILE_READ message about `path` (which has no line to point at). */
export function fileError(path: string, message: string): LoadMessage {
  const reporter = createReporter();
  reporter.error('LOAD_ERR_FILE_READ', message, [
    {
      itemType: ITEM.rulesContent,
      itemName: '',
      position: { name: path, line: 0, column: 0, offset: 0 },
    },
  ]);
  return reporter.errors[0] as LoadMessage;
}

/** Rule tests (`kaudit rules test`) sit next to the rules but are not rules. */
const TESTS_FILE = /\.tests\.ya?ml$/;

/**
 * Reads rules files and directories (a directory contributes its `.yaml`/`.yml` files,
 * sorted by name, as Falco's `rules_files`, but not its `*.tests.yaml` rule tests). Missing
 * or unreadable paths, and directories with no rules file (almost always a wrong path:
 * Falco would run without their rules), become LOAD_ERR_FILE_READ messages; the readable
 * ones are still returned in order.
 */
export async function readRulesPaths(
  paths: readonly string[],
): Promise<{ sources: RulesSource[]; errors: LoadMessage[] }> {
  const sources: RulesSource[] = [];
  const errors: LoadMessage[] = [];
  for (const path of paths) {
    try {
      const info = await stat(path);
      if (info.isDirectory()) {
        const names = (await readdir(path))
          .filter((n) => (n.endsWith('.yaml') || n.endsWith('.yml')) && !TESTS_FILE.test(n))
          .sort();
        if (names.length === 0) errors.push(fileError(path, MSG.noRulesFiles(path)));
        for (const n of names) {
          const file = join(path, n);
          try {
            sources.push({ name: file, content: await readFile(file, 'utf8') });
          } catch (err) {
            errors.push(readError(file, err));
          }
        }
      } else {
        sources.push({ name: path, content: await readFile(path, 'utf8') });
      }
    } catch (err) {
      errors.push(readError(path, err));
    }
  }
  return { sources, errors };
}
