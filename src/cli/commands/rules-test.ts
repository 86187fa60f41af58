import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { isAbsolute, relative } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_RULES_PATH } from '../../rules/index.ts';
import {
  computeCoverage,
  countResults,
  createRulesLoader,
  findTests,
  formatCoverage,
  formatJUnit,
  formatTestRun,
  readTestsFile,
  runTests,
  type TestFile,
} from '../../ruletest/index.ts';
import type { CommandIo } from '../command-io.ts';
import { CliError, EXIT_FAIL, EXIT_OK } from '../errors.ts';
import { collect } from '../options.ts';

interface TestOptions {
  tests?: string[];
  junit?: string;
  coverage?: boolean;
  verbose?: boolean;
}

const HELP = `
Test files (<rules>.tests.yaml beside the rules, or given with --tests) list cases:
events, the rules they test, and which rules must fire how often with which output
fields. See docs/rules-testing.md.

Examples:
  $ kaudit rules test                                   # the built-in rules and their tests
  $ kaudit rules test rules/                            # every *.tests.yaml under rules/
  $ kaudit rules test my-rules.yaml --coverage          # my-rules.tests.yaml beside it
  $ kaudit rules test k8s_audit_rules.yaml local.yaml --tests ci/falco.tests.yaml --junit report.xml`;

/** A path relative to the working directory when it is inside it. */
function displayPath(p: string): string {
  if (!isAbsolute(p)) return p;
  const rel = relative(process.cwd(), p);
  return rel.startsWith('..') ? p : rel;
}

async function readFiles(
  paths: readonly string[],
  rulesFiles?: readonly string[],
): Promise<TestFile[]> {
  const out: TestFile[] = [];
  for (const p of paths) {
    const text = await readFile(p, 'utf8').catch((e: Error) => {
      throw new CliError(`kaudit: ${p}: ${e.message}`, EXIT_FAIL);
    });
    out.push(readTestsFile(displayPath(p), text, rulesFiles === undefined ? {} : { rulesFiles }));
  }
  return out;
}

/** `kaudit rules test [PATHS] [--tests FILE] [--junit FILE] [--coverage]`. */
export function registerRulesTestCommand(rules: Command, io: CommandIo): void {
  rules
    .command('test')
    .description('run rule tests: events in, expected alerts out; exit 1 when one fails')
    .argument(
      '[paths...]',
      'tests files, directories of them, or rules files with tests beside them (default: the built-in rules)',
    )
    .option(
      '--tests <path>',
      'tests file or directory for the rules given as paths (repeatable)',
      collect,
    )
    .option('--junit <file>', 'also write the results as JUnit XML (Jenkins, GitLab, GitHub)')
    .option(
      '--coverage',
      'list the rules no test fires and the ones no test proves silent on a near miss',
    )
    .option('-v, --verbose', 'list passing tests too')
    .addHelpText('after', HELP)
    .action(async (paths: string[], o: TestOptions) => {
      const given = paths.length > 0 || (o.tests ?? []).length > 0 ? paths : [DEFAULT_RULES_PATH];
      const found = await findTests(given, o.tests ?? []);
      for (const p of found.problems) io.stderr.write(`kaudit: ${p}\n`);
      if (found.testsFiles.length === 0) throw new CliError('kaudit: no tests to run', EXIT_FAIL);
      const files = await readFiles(found.testsFiles, found.rulesFiles);
      const loader = createRulesLoader();
      const results = await runTests(files, loader);
      io.stdout.write(formatTestRun(results, o.verbose === true));
      if (o.coverage)
        io.stdout.write(formatCoverage(await computeCoverage(results, loader), displayPath));
      if (o.junit !== undefined) {
        const xml = formatJUnit(results, {
          hostname: hostname(),
          timestamp: new Date().toISOString().slice(0, 19),
          displayPath,
        });
        await writeFile(o.junit, xml).catch((e: Error) => {
          throw new CliError(`kaudit: --junit ${o.junit}: ${e.message}`, EXIT_FAIL);
        });
      }
      const n = countResults(results);
      const ok = n.failed + n.errors + n.fileErrors === 0 && found.problems.length === 0;
      io.setExitCode(ok ? EXIT_OK : EXIT_FAIL);
    });
}
