import { type Command, Option } from 'commander';
import type { EventSource } from '../../events/record.ts';
import { defaultFieldRegistry } from '../../fields/index.ts';
import { formatTable } from '../../outputs/index.ts';
import {
  formatLoadResult,
  loadResultToJSON,
  loadRules,
  loadRuleset,
  readRulesPaths,
} from '../../rules/index.ts';
import type { CommandIo } from '../command-io.ts';
import { EXIT_FAIL, EXIT_OK } from '../errors.ts';
import { collect } from '../options.ts';
import { requireLoaded } from '../report.ts';
import { registerRulesExplainCommand } from './rules-explain.ts';
import { registerRulesMutateCommand } from './rules-mutate.ts';
import { registerRulesTestCommand } from './rules-test.ts';

const RULES_EXAMPLES = `
Examples:
  $ kaudit rules validate k8s_audit_rules.yaml my-overrides.yaml
  $ kaudit rules validate --format json rules/
  $ kaudit rules list -r k8s_audit_rules.yaml
  $ kaudit rules fields --source k8s_audit
  $ kaudit rules explain 'Create Privileged Pod' -r k8s_audit_rules.yaml --js`;

/** `kaudit rules …`: validate, list, describe fields, explain a rule. */
export function registerRulesCommand(program: Command, io: CommandIo): void {
  const rules = program
    .command('rules')
    .description('validate and inspect rules files')
    .addHelpText('after', RULES_EXAMPLES);

  rules
    .command('validate')
    .description('load rules files in order and report every error and warning with its position')
    .argument('<paths...>', 'rules files or directories, loaded in order')
    .addOption(
      new Option('--format <format>', "text or Falco's JSON load result")
        .choices(['text', 'json'])
        .default('text'),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ kaudit rules validate k8s_audit_rules.yaml local.yaml\n  $ kaudit rules validate --format json rules/ | jq .',
    )
    .action(async (paths: string[], o: { format: 'text' | 'json' }) => {
      const read = await readRulesPaths(paths);
      if (read.errors.length > 0) {
        for (const e of read.errors) io.stderr.write(`kaudit: ${e.message}\n`);
        io.setExitCode(EXIT_FAIL);
        return;
      }
      const result = loadRules(read.sources);
      if (o.format === 'json') {
        io.stdout.write(`${JSON.stringify(loadResultToJSON(result))}\n`);
      } else {
        io.stdout.write(formatLoadResult(result, { verbose: true }));
        const skipped = result.skippedRules.length;
        io.stdout.write(
          `${result.ok ? 'OK' : 'FAILED'}: ${result.rules.length} rules, ${result.errors.length} errors, ${result.warnings.length} warnings${skipped ? `, ${skipped} rules of other sources skipped` : ''}\n`,
        );
      }
      io.setExitCode(result.ok ? EXIT_OK : EXIT_FAIL);
    });

  rules
    .command('list')
    .description('list rules with priority, source, enabled state and tags')
    .option(
      '-r, --rules <path>',
      'rules file or directory (repeatable; default: built-in)',
      collect,
    )
    .addOption(
      new Option('--format <format>', 'table or json').choices(['table', 'json']).default('table'),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ kaudit rules list\n  $ kaudit rules list -r k8s_audit_rules.yaml --format json',
    )
    .action(async (o: { rules?: string[]; format: 'table' | 'json' }) => {
      const loaded = requireLoaded(
        await loadRuleset({
          ...(o.rules ? { rules: o.rules } : {}),
        }),
        io.stderr,
      );
      if (o.format === 'json') {
        for (const r of loaded.rules) {
          io.stdout.write(
            `${JSON.stringify({ rule: r.name, priority: r.priority, source: r.source, enabled: r.enabled, tags: r.tags, desc: r.desc })}\n`,
          );
        }
      } else {
        const rows = loaded.rules.map((r) => [
          r.name,
          r.priority,
          r.source,
          r.enabled ? 'yes' : 'no',
          r.tags.join(','),
        ]);
        io.stdout.write(
          `${formatTable(['RULE', 'PRIORITY', 'SOURCE', 'ENABLED', 'TAGS'], rows)}\n`,
        );
      }
    });

  rules
    .command('fields')
    .description('list every field with its type, argument and description')
    .addOption(
      new Option('--source <source>', 'only fields of this source').choices([
        'k8s_audit',
        'k8s_admission',
      ]),
    )
    .addOption(
      new Option('--format <format>', 'table or json').choices(['table', 'json']).default('table'),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ kaudit rules fields --source k8s_audit\n  $ kaudit rules fields --format json | jq -r .name',
    )
    .action((o: { source?: EventSource; format: 'table' | 'json' }) => {
      const fields = defaultFieldRegistry.list(o.source);
      const arg = (f: (typeof fields)[number]): string =>
        f.arg.kind === 'none' ? '' : `${f.arg.kind}${f.arg.required ? ' (required)' : ''}`;
      if (o.format === 'json') {
        for (const f of fields) {
          io.stdout.write(
            `${JSON.stringify({ name: f.name, type: f.type, list: f.isList, arg: arg(f), sources: f.sources, description: f.description })}\n`,
          );
        }
        return;
      }
      const rows = fields.map((f) => [
        f.name,
        f.isList ? `${f.type} list` : f.type,
        arg(f),
        f.description,
      ]);
      io.stdout.write(`${formatTable(['FIELD', 'TYPE', 'ARG', 'DESCRIPTION'], rows)}\n`);
    });

  registerRulesExplainCommand(rules, io);
  registerRulesTestCommand(rules, io);
  registerRulesMutateCommand(rules, io);
}
