import type { Command } from 'commander';
import {
  createRulesLoader,
  formatMutation,
  mutationScore,
  runMutation,
} from '../../ruletest/index.ts';
import type { CommandIo } from '../command-io.ts';
import { EXIT_FAIL, EXIT_OK, usageError } from '../errors.ts';
import { collect } from '../options.ts';
import { displayPath, selectTests } from './rules-test-files.ts';

interface MutateOptions {
  tests?: string[];
  minScore?: string;
  format: 'text' | 'json';
}

const HELP = `
Each enabled rule's condition is changed one part at a time (an 'and' made 'or', a 'not'
dropped, a list item removed or a list: emptied, a comparison flipped) and the rule's
tests are run against each change. A change no test notices is a survivor: a test is
missing. Exit 1 when the score is under --min-score.

Examples:
  $ kaudit rules mutate                                  # the built-in rules and their tests
  $ kaudit rules mutate my-rules.yaml --min-score 90
  $ kaudit rules mutate k8s_audit_rules.yaml --tests ci/falco.tests.yaml --format json`;

function parseScore(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || n > 100) usageError('--min-score must be a percentage, 0 to 100');
  return n;
}

/** `kaudit rules mutate [PATHS] [--tests FILE] [--min-score N]`: the mutation check. */
export function registerRulesMutateCommand(rules: Command, io: CommandIo): void {
  rules
    .command('mutate')
    .description("mutate each rule's condition and report the changes no rule test notices")
    .argument('[paths...]', 'as for rules test (default: the built-in rules)')
    .option('--tests <path>', 'tests file or directory for the rules given as paths', collect)
    .option('--min-score <percent>', 'exit 1 when fewer mutants than this are killed')
    .option('--format <format>', 'text or json', 'text')
    .addHelpText('after', HELP)
    .action(async (paths: string[], o: MutateOptions) => {
      const min = parseScore(o.minScore);
      if (o.format !== 'text' && o.format !== 'json') usageError('--format must be text or json');
      const { files, problems } = await selectTests(paths, o.tests ?? [], io);
      const reports = await runMutation(files, createRulesLoader());
      if (o.format === 'json') {
        const json = reports.map((r) => ({ ...r, score: mutationScore(r) }));
        io.stdout.write(`${JSON.stringify(json)}\n`);
      } else {
        io.stdout.write(formatMutation(reports, displayPath));
      }
      const low = min !== undefined && reports.some((r) => mutationScore(r) < min);
      io.setExitCode(problems || low || reports.length === 0 ? EXIT_FAIL : EXIT_OK);
    });
}
