import { availableParallelism } from 'node:os';
import { type Command, Option } from 'commander';
import { INPUT_FORMATS } from '../../events/index.ts';
import type { CommandIo } from '../command-io.ts';
import {
  collect,
  parseByteSize,
  parseDurationOption,
  parseInputFormatOption,
  parsePositiveInt,
  parsePriorityOption,
} from '../options.ts';
import { OUTPUT_HELP } from '../outputs.ts';
import { runScan, type ScanOptions } from './scan-run.ts';

const EXAMPLES = `
Examples:
  $ kaudit scan /var/log/kubernetes/audit.log
  $ kaudit scan -r rules/ -r my-overrides.yaml --format json audit/ > alerts.jsonl
  $ zcat old.log.gz | kaudit scan - --summary
  $ kaudit scan --follow /var/log/kubernetes/audit.log --min-priority warning
  $ kaudit scan --follow --from-end --state-file /var/lib/kaudit/follow.json /var/log/kubernetes/audit.log
  $ kaudit scan -r k8s_audit_rules.yaml --rule-matching all --fail-on error audit.log.gz
  $ kaudit scan --disable 'K8s * Created' --disable tag:k8s_activity audit.log
  $ kaudit scan --output stdout --output 'http[min-priority=warning]:http://falcosidekick:2801/' audit.log
  $ kaudit scan --explain --format json audit.log | jq .explanation
  $ kaudit scan -o json_output=true -o json_include_output_property=false -o json_include_tags_property=false audit.log
  $ kaudit scan -o http_output.enabled=true -o http_output.url=http://falcosidekick:2801/ audit.log
  $ kaudit scan --output file[mode=0640]:/var/log/kaudit/alerts.json --output 'program:jq -c .' audit.log
  $ kaudit scan --store ./kaudit-data old-audit.log.gz   # then: kaudit serve --data-dir ./kaudit-data`;

/** `kaudit scan`: detect over audit logs with Falco-compatible rules. */
export function registerScanCommand(program: Command, io: CommandIo): void {
  program
    .command('scan')
    .description('detect threats in audit logs (files, directories, .gz, - for stdin)')
    .argument('[paths...]', 'audit log files or directories; - reads stdin', ['-'])
    .option(
      '-r, --rules <path>',
      'rules file or directory (repeatable; default: built-in rules)',
      collect,
    )
    .addOption(
      new Option('--format <format>', 'alert format on stdout')
        .choices(['text', 'json'])
        .default('text'),
    )
    .option('--output <spec>', OUTPUT_HELP, collect)
    .option(
      '-o, --option <key=value>',
      "a falco.yaml key, Falco's -o syntax (repeatable): json_output, json_include_*_property, time_format_iso_8601, priority, rule_matching, rules_files, {stdout,file,program,http}_output.*; kaudit's own flags win",
      collect,
    )
    .option(
      '--store <dir|url>',
      "also load the alerts, with their events, into kaudit serve's alert store: its data directory (SQLite) or a postgres:// URL; no alerts on stdout unless --output asks",
    )
    .addOption(
      new Option('--rule-matching <mode>', 'fire the first matching rule per event, or all')
        .choices(['first', 'all'])
        .default('first'),
    )
    .option('--min-priority <priority>', 'ignore rules less severe than this', parsePriorityOption)
    .option(
      '--enable <rule-glob|tag:NAME>',
      'enable rules by name glob or tag (repeatable)',
      collect,
    )
    .option(
      '--disable <rule-glob|tag:NAME>',
      'disable rules by name glob or tag (repeatable)',
      collect,
    )
    .option('--summary', "print Falco's end-of-run summary and input statistics on stderr")
    .option(
      '--fail-on <priority>',
      'exit 1 when any alert is at or above this priority',
      parsePriorityOption,
    )
    .option(
      '--max-event-size <bytes>',
      'judge larger events without their request/response bodies (default 256k)',
      parseByteSize,
    )
    .option('--drop-oversize', 'skip events over --max-event-size whole, as Falco does')
    .option(
      '--max-line-size <bytes>',
      'longest line held in memory (default 4m); a longer one is read item by item',
      parseByteSize,
    )
    .option('--cluster <name>', 'cluster name on every alert (ka.cluster.name)')
    .option(
      '--input-format <format>',
      `decode only this input format: auto (default: each line's shape), ${INPUT_FORMATS.join(', ')}`,
      parseInputFormatOption,
    )
    .option('-f, --follow', 'keep reading appended lines, across rotation (like tail -F)')
    .option('--from-end', 'with --follow: start at the end of each file (only new lines)')
    .option(
      '--state-file <file>',
      'with --follow: resume where the last run stopped (across rotation) and keep the position here',
    )
    .option('--iso-time', 'ISO 8601 UTC times in text alerts')
    .option(
      '--raw-fields',
      'text alerts show control characters of event fields as they are (escaped by default)',
    )
    .option(
      '--workers <n>',
      `threads scanning files, alerts kept in file order (default: one per core, ${availableParallelism()} here, for inputs of 128 MiB or more)`,
      parsePositiveInt,
    )
    .option(
      '--explain',
      "explain each alert: the rule's condition as a tree with each part's value and the fields it read (JSON: an `explanation` key)",
    )
    .option(
      '--correlation-tolerance <duration>',
      'how far out of event-time order an event may arrive and still be correlated in order (default 30s)',
      parseDurationOption,
    )
    .option(
      '--correlation-max-groups <n>',
      'groups each correlated or suppressed rule keeps; the least recently updated are evicted (default 20000)',
      parsePositiveInt,
    )
    .option('--no-fastpath', 'parse every event fully (skip the raw-line prefilter)')
    .option('--no-progress', 'no progress line on a terminal')
    .addHelpText('after', EXAMPLES)
    .action(async (paths: string[], o: ScanOptions) => {
      io.setExitCode(await runScan(paths, o, io));
    });
}
