import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { isSeq, type Node, parseDocument } from 'yaml';
import type { RuleMatching } from '../engine/index.ts';
import { createSourceFile, positionAt, snippetAt } from '../rules/index.ts';
import type { TestCase, TestFile } from './model.ts';
import { readCase } from './read-case.ts';
import { type ReadContext, readChoice, readMap, readStrings, report } from './yaml-read.ts';

const FILE_KEYS = ['rules_files', 'rule_matching', 'tests'] as const;
/** The name a tests file has: `<rules file>.tests.yaml`, next to the rules it tests. */
export const TESTS_SUFFIX = /\.tests\.ya?ml$/;

/** How to read a tests file. */
export interface ReadTestsOptions {
  /**
   * Rules files given on the command line with `--tests`: they replace the file's
   * `rules_files` (test these rules with those tests).
   */
  readonly rulesFiles?: readonly string[];
}

/** `x.tests.yaml` → `x.yaml` or `x.yml` beside it, when one exists. */
export function siblingRulesFile(testsPath: string): string | undefined {
  const stem = basename(testsPath).replace(TESTS_SUFFIX, '');
  for (const ext of ['.yaml', '.yml']) {
    const p = join(dirname(testsPath), `${stem}${ext}`);
    if (existsSync(p)) return p;
  }
  return undefined;
}

function fileRules(
  ctx: ReadContext,
  root: Node,
  entry: { key: Node; value: Node | null } | undefined,
  opts: ReadTestsOptions,
): string[] {
  if (opts.rulesFiles !== undefined && opts.rulesFiles.length > 0) {
    return opts.rulesFiles.map((p) => resolve(p));
  }
  if (entry !== undefined) {
    const dir = dirname(ctx.file.name);
    return readStrings(ctx, entry.value, 'rules_files').map((p) => resolve(dir, p.value));
  }
  const sibling = siblingRulesFile(ctx.file.name);
  if (sibling !== undefined) return [sibling];
  report(
    ctx,
    root,
    'TEST_ERR_VALIDATE',
    "no rules to test: add 'rules_files:', put the file next to its rules as <rules>.tests.yaml, or give the rules files with --tests",
  );
  return [];
}

/**
 * Reads a tests file (YAML): its `rules_files`, `rule_matching` and `tests`, each case
 * checked. Never throws: every problem is a TestMessage with file:line:col.
 *
 * @example const file = readTestsFile('rules/kaudit-rules.tests.yaml', text);
 */
export function readTestsFile(
  path: string,
  content: string,
  opts: ReadTestsOptions = {},
): TestFile {
  const doc = parseDocument(content, { prettyErrors: false, uniqueKeys: false });
  const ctx: ReadContext = { file: createSourceFile(path, content), doc, errors: [] };
  const parseError = doc.errors[0];
  if (parseError !== undefined) {
    const at = parseError.pos[0];
    ctx.errors.push({
      code: 'TEST_ERR_YAML_PARSE',
      message: parseError.message.split('\n')[0] ?? 'invalid YAML',
      position: positionAt(ctx.file, at),
      snippet: snippetAt(ctx.file, at),
    });
    return { path, rulesFiles: [], cases: [], errors: ctx.errors };
  }
  const root = doc.contents as Node | null;
  const e = readMap(ctx, root, 'a tests file', FILE_KEYS);
  if (e === undefined || root === null)
    return { path, rulesFiles: [], cases: [], errors: ctx.errors };
  const rulesFiles = fileRules(ctx, root, e.get('rules_files'), opts);
  const matching = e.get('rule_matching');
  const ruleMatching: RuleMatching =
    (matching === undefined
      ? undefined
      : readChoice(ctx, matching.value, 'rule_matching', ['all', 'first'] as const)) ?? 'all';
  const tests = e.get('tests')?.value ?? null;
  if (!isSeq(tests)) {
    report(ctx, tests ?? root, 'TEST_ERR_VALIDATE', "a tests file needs 'tests': a list of tests");
    return { path, rulesFiles, cases: [], errors: ctx.errors };
  }
  const cases: TestCase[] = [];
  const names = new Set<string>();
  for (const item of tests.items as Node[]) {
    const c = readCase(ctx, item, { rulesFiles, ruleMatching });
    if (c === undefined) continue;
    if (names.has(c.name)) {
      report(ctx, item, 'TEST_ERR_VALIDATE', `another test is named '${c.name}'`);
      continue;
    }
    names.add(c.name);
    cases.push(c);
  }
  return { path, rulesFiles, cases, errors: ctx.errors };
}
