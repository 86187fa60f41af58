import { existsSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { analyzeRequirements, compileDispatch, createEventExplainer } from '../../engine/index.ts';
import type { EventSource } from '../../events/record.ts';
import { defaultFieldRegistry, formatCaveats } from '../../fields/index.ts';
import { compileCondition } from '../../lang/index.ts';
import { escapeCell, formatEventExplanationText } from '../../outputs/index.ts';
import { type LineRange, readEventsAt } from '../../pipeline/index.ts';
import {
  DEFAULT_RULES_PATH,
  type LoadedRule,
  type LoadResult,
  loadRuleset,
  type Position,
  type RuleChange,
} from '../../rules/index.ts';
import type { CommandIo } from '../command-io.ts';
import { CliError, EXIT_FAIL, usageError } from '../errors.ts';
import { collect } from '../options.ts';
import { describeReject, requireLoaded } from '../report.ts';
import { withRunErrors } from '../run-errors.ts';
import { describeStateful } from './describe-correlation.ts';
import { displayPath } from './rules-test-files.ts';

interface ExplainOptions {
  rules?: string[];
  js?: boolean;
  event?: string;
  ruleMatching: 'first' | 'all';
  format: 'text' | 'json';
}

const HELP = `
Examples:
  $ kaudit rules explain 'Attach/Exec Pod' -r k8s_audit_rules.yaml --js
  $ kaudit rules explain 'Shell Into Pod' --event audit.log:1042
  $ kaudit rules explain 'Secret Read by Unexpected User' --event audit.log:10-20 --format json`;

/** `kaudit rules explain RULE [--event FILE[:LINE]]`. */
export function registerRulesExplainCommand(rules: Command, io: CommandIo): void {
  rules
    .command('explain')
    .description(
      "show a rule's expanded condition, what it requires and its code; with --event, why it did or did not fire on an event",
    )
    .argument('<rule>', 'rule name')
    .option(
      '-r, --rules <path>',
      'rules file or directory (repeatable; default: built-in)',
      collect,
    )
    .option('--js', 'also print the generated JavaScript (the rule alone and the source dispatch)')
    .option(
      '--event <file[:line[-line]]>',
      'explain the rule on the events of these lines of an audit log (one line, a range, or the whole file)',
    )
    .addOption(
      new Option('--rule-matching <mode>', 'with --event: how the engine picks rules, as in scan')
        .choices(['first', 'all'])
        .default('first'),
    )
    .addOption(
      new Option('--format <format>', 'with --event: text or JSON lines')
        .choices(['text', 'json'])
        .default('text'),
    )
    .addHelpText('after', HELP)
    .action(async (name: string, o: ExplainOptions) => {
      const loaded = requireLoaded(
        await loadRuleset({ rules: o.rules ?? [DEFAULT_RULES_PATH] }),
        io.stderr,
      );
      const rule = loaded.rules.find((r) => r.name === name);
      if (rule === undefined) throw new CliError(`kaudit: no rule named '${name}'`, EXIT_FAIL);
      if (o.event === undefined) {
        io.stdout.write(describeRule(rule, loaded, o.js === true));
        return;
      }
      await explainOnEvents(rule, loaded, o, io);
    });
}

/** `file`, `file:12` or `file:12-20`; a path that exists as given wins over the split. */
function parseEventSpec(spec: string): { path: string; range: LineRange } {
  const m = /^(.*):(\d+)(?:-(\d+))?$/.exec(spec);
  if (m === null || existsSync(spec)) return { path: spec, range: { from: 1 } };
  const from = Number(m[2]);
  const to = m[3] === undefined ? from : Number(m[3]);
  if (from < 1 || to < from) usageError(`--event: bad line range in '${spec}'`);
  return { path: m[1] as string, range: { from, to } };
}

async function explainOnEvents(
  rule: LoadedRule,
  loaded: LoadResult,
  o: ExplainOptions,
  io: CommandIo,
): Promise<void> {
  const { path, range } = parseEventSpec(o.event as string);
  const read = await withRunErrors(() => readEventsAt(path, range));
  for (const r of read.rejects) io.stderr.write(describeReject(r));
  if (read.records.length === 0) {
    throw new CliError(
      `kaudit: ${o.event}: no audit event on ${range.to === undefined ? 'any line' : 'these lines'}`,
      EXIT_FAIL,
    );
  }
  const explain = createEventExplainer({ rules: loaded.rules, ruleMatching: o.ruleMatching });
  for (const rec of read.records) {
    const ex = explain(rule, rec);
    const where = `${rec.origin ?? path}:${rec.line ?? 0}`;
    if (o.format === 'json') {
      io.stdout.write(`${JSON.stringify({ event: where, ...ex })}\n`);
    } else {
      io.stdout.write(formatEventExplanationText(ex, `${where}  ${describeEvent(rec.obj)}`));
    }
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** `create pods/exec payments/api-1 by kubernetes-admin`, from the event's own fields. */
function describeEvent(obj: Readonly<Record<string, unknown>>): string {
  const ref = (obj.objectRef ?? {}) as Record<string, unknown>;
  const user = (obj.user ?? {}) as Record<string, unknown>;
  const resource = [str(ref.resource), str(ref.subresource)].filter(Boolean).join('/');
  const target = [str(ref.namespace), str(ref.name)].filter(Boolean).join('/');
  const parts = [str(obj.verb), resource, target, str(obj.stage)].filter((p) => p);
  const by = str(user.username);
  return escapeCell(`${parts.join(' ')}${by === undefined ? '' : ` by ${by}`}`.slice(0, 300));
}

function describeRule(rule: LoadedRule, loaded: LoadResult, withJs: boolean): string {
  const req = analyzeRequirements(rule.condition);
  const set = (s?: ReadonlySet<string>): string => (s ? [...s].join(', ') : '(any)');
  const lines = [
    `rule: ${rule.name}`,
    `priority: ${rule.priority}    source: ${rule.source}    enabled: ${rule.enabled}`,
    `tags: ${rule.tags.join(', ')}`,
    `defined at: ${where(rule.position)}`,
    ...describeChanges(rule.changes),
    `output: ${rule.output}`,
    ...describeStateful(rule),
    '',
    rule.correlation === undefined
      ? 'condition (lists and macros expanded, exceptions added):'
      : 'condition (any step; lists and macros expanded, exceptions added):',
    `  ${rule.compiledCondition}`,
    '',
    'requires:',
    `  stages: ${set(req.stages)}`,
    `  verbs: ${set(req.verbs)}`,
    `  resources: ${set(req.resources)}`,
    `  subresources: ${set(req.subresources)}`,
    `  audit level: ${req.needs === 'metadata' ? 'Metadata' : req.needs === 'request' ? 'Request' : 'RequestResponse'}`,
    `  fields: ${req.fields.join(', ')}`,
    ...describeInputCaveats(req.fields),
  ];
  if (withJs && (rule.source === 'k8s_audit' || rule.source === 'k8s_admission')) {
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
  return `${lines.join('\n')}\n`;
}

function where(p: Position): string {
  return `${displayPath(p.name)}:${p.line}:${p.column}`;
}

const CHANGE_WORDS: Readonly<Record<RuleChange['kind'], string>> = {
  redefine: 'redefined',
  append: 'appended',
  override: 'overridden',
  enable: 'enabled',
  disable: 'disabled',
};

/**
 * The items of later files (or later in the same file) that changed the rule, in load
 * order, each with its position and the keys it changed.
 */
function describeChanges(changes: readonly RuleChange[]): string[] {
  if (changes.length === 0) return ['changed by: (no other item)'];
  const lines = ['changed by:'];
  for (const c of changes) {
    const keys = c.keys.map((k) => (k === 'enabled' ? `enabled: ${c.enabled}` : k));
    lines.push(`  ${where(c.position)}  ${CHANGE_WORDS[c.kind]} (${keys.join(', ')})`);
  }
  return lines;
}

/**
 * The input formats that lack or rebuild a field the condition reads (docs/inputs-managed.md):
 * a warning for an absent field (the rule sees it as absent on that input, whatever the
 * event was), a note for a rebuilt one.
 */
function describeInputCaveats(fields: readonly string[]): string[] {
  const names = [...new Set(fields.map((f) => f.replace(/\[.*$/s, '')))];
  const caveats = formatCaveats(names);
  if (caveats.length === 0) return [];
  const lines = ['', 'input formats:'];
  for (const c of caveats) {
    lines.push(
      c.availability === 'absent'
        ? `  warning: ${c.format} input does not carry ${c.field} (${c.note}): the rule sees it as absent there`
        : `  note: ${c.format} input rebuilds ${c.field}: ${c.note}`,
    );
  }
  return lines;
}
