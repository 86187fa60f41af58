import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createReporter, ITEM, MSG } from './messages.ts';
import type { LoadMessage, RulesSource } from './types.ts';

function readError(path: string, err: unknown): LoadMessage {
  const reporter = createReporter();
  const detail = err instanceof Error ? err.message : String(err);
  reporter.error('LOAD_ERR_FILE_READ', MSG.readFailed(path, detail), [
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
 * sorted by name, as Falco's `rules_files`, but not its `*.tests.yaml` rule tests). Missing or unreadable paths become
 * LOAD_ERR_FILE_READ messages; the readable ones are still returned in order.
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
