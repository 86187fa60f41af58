import { isAbsolute, relative } from 'node:path';
import { type Command, Option } from 'commander';
import { analyzeRequirements, compileDispatch } from '../../engine/index.ts';
import type { EventSource } from '../../events/record.ts';
import { defaultFieldRegistry } from '../../fields/index.ts';
import { compileCondition } from '../../lang/index.ts';
import { formatTable } from '../../outputs/index.ts';
import {
  DEFAULT_RULES_PATH,
  formatLoadResult,
  loadResultToJSON,
  loadRules,
  loadRuleset,
  readRulesPaths,
} from '../../rules/index.ts';
import type { CommandIo } from '../command-io.ts';
import { CliError, EXIT_FAIL, EXIT_OK } from '../errors.ts';
import { collect } from '../options.ts';
import { requireLoaded } from '../report.ts';

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

  rules
    .command('explain')
    .description("show a rule's expanded condition, what it requires, and the compiled code")
    .argument('<rule>', 'rule name')
    .option(
      '-r, --rules <path>',
      'rules file or directory (repeatable; default: built-in)',
      collect,
    )
    .option('--js', 'also print the generated JavaScript (the rule alone and the source dispatch)')
    .addHelpText(
      'after',
      "\nExamples:\n  $ kaudit rules explain 'Attach/Exec Pod' -r k8s_audit_rules.yaml --js",
    )
    .action(async (name: string, o: { rules?: string[]; js?: boolean }) => {
      const loaded = requireLoaded(
        await loadRuleset({
          rules: o.rules ?? [DEFAULT_RULES_PATH],
        }),
        io.stderr,
      );
      const rule = loaded.rules.find((r) => r.name === name);
      if (rule === undefined) throw new CliError(`kaudit: no rule named '${name}'`, EXIT_FAIL);
      const req = analyzeRequirements(rule.condition);
      const set = (s?: ReadonlySet<string>): string => (s ? [...s].join(', ') : '(any)');
      const lines = [
        `rule: ${rule.name}`,
        `priority: ${rule.priority}    source: ${rule.source}    enabled: ${rule.enabled}`,
        `tags: ${rule.tags.join(', ')}`,
        `defined at: ${displayPath(rule.position.name)}:${rule.position.line}:${rule.position.column}`,
        `output: ${rule.output}`,
        '',
        'condition (lists and macros expanded, exceptions added):',
        `  ${rule.compiledCondition}`,
        '',
        'requires:',
        `  stages: ${set(req.stages)}`,
        `  verbs: ${set(req.verbs)}`,
        `  resources: ${set(req.resources)}`,
        `  subresources: ${set(req.subresources)}`,
        `  audit level: ${req.needs === 'metadata' ? 'Metadata' : req.needs === 'request' ? 'Request' : 'RequestResponse'}`,
        `  fields: ${req.fields.join(', ')}`,
      ];
      if (o.js && (rule.source === 'k8s_audit' || rule.source === 'k8s_admission')) {
        const env = { registry: defaultFieldRegistry, source: rule.source as EventSource };
        lines.push('', 'compiled condition:', compileCondition(rule.condition, env).source);
        const same = loaded.rules.filter((r) => r.enabled && r.source === rule.source);
        const d = compileDispatch(
          same.map((r) => r.condition),
          env,
          true,
        );
        lines.push('', `dispatch for ${same.length} enabled ${rule.source} rules:`, d.source);
      }
      io.stdout.write(`${lines.join('\n')}\n`);
    });
}

/** A rules path as the user would type it: relative to the working directory when inside it. */
function displayPath(p: string): string {
  if (!isAbsolute(p)) return p;
  const rel = relative(process.cwd(), p);
  return rel.startsWith('..') ? p : rel;
}
