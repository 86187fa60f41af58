import { writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Command } from 'commander';
import {
  computeCoverage,
  countResults,
  createRulesLoader,
  formatCoverage,
  formatJUnit,
  formatTestRun,
  runTests,
} from '../../ruletest/index.ts';
import type { CommandIo } from '../command-io.ts';
import { CliError, EXIT_FAIL, EXIT_OK } from '../errors.ts';
import { collect } from '../options.ts';
import { displayPath, selectTests } from './rules-test-files.ts';

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
      const { files, problems } = await selectTests(paths, o.tests ?? [], io);
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
      const ok = n.failed + n.errors + n.fileErrors === 0 && !problems;
      io.setExitCode(ok ? EXIT_OK : EXIT_FAIL);
    });
}
