import { type Command, Option } from 'commander';
import { type AuditRecord, createDecoder } from '../../events/index.ts';
import { createLineSkipper } from '../../fastpath/index.ts';
import { defaultFieldRegistry } from '../../fields/index.ts';
import { compileCondition, compileOutputFormat, parseOutputFormat } from '../../lang/index.ts';
import { createLineWriter, formatCsvRow, formatTable } from '../../outputs/index.ts';
import { streamRecords } from '../../pipeline/index.ts';
import {
  compileQueryCondition,
  DEFAULT_RULES_PATH,
  formatLoadResult,
  type QueryCondition,
} from '../../rules/index.ts';
import { createFileSource } from '../../sources/index.ts';
import { type CommandIo, requireInput } from '../command-io.ts';
import { CliError, EXIT_OK, EXIT_USAGE, usageError } from '../errors.ts';
import { collect, parsePositiveInt } from '../options.ts';
import { describeReject } from '../report.ts';
import { withRunErrors } from '../run-errors.ts';

interface QueryOptions {
  rules?: string[];
  output?: string;
  format?: 'json' | 'csv' | 'table';
  fields?: string;
  countBy?: string;
  count?: boolean;
  limit?: number;
  fastpath: boolean;
}

const DEFAULT_FIELDS =
  'evt.time.iso8601,ka.user.name,ka.verb,ka.target.resource,ka.target.namespace,ka.target.name,ka.response.code';

const EXAMPLES = `
Examples:
  # who deleted namespaces
  $ kaudit query 'ka.verb=delete and ka.target.resource=namespaces' audit.log -o '%ka.user.name deleted %ka.target.name'
  # every exec into a pod
  $ kaudit query 'ka.target.subresource in (exec, attach)' audit.log --format table
  # configmaps created with credentials
  $ kaudit query 'ka.verb=create and ka.target.resource=configmaps and ka.req.configmap.obj icontains aws_access_key_id' audit.log
  # top users by forbidden requests
  $ kaudit query 'ka.response.code=403' audit.log --count-by ka.user.name --limit 10
  # macros and lists from rules files work too
  $ kaudit query -r k8s_audit_rules.yaml 'kevt and kcreate and pod' audit.log --count`;

/** `kaudit query`: filter and aggregate events with the rule condition language. */
export function registerQueryCommand(program: Command, io: CommandIo): void {
  program
    .command('query')
    .description('filter audit events with a condition; print, tabulate or count them')
    .argument('<condition>', "condition in Falco's rule language, e.g. 'ka.verb=delete'")
    .argument('[paths...]', 'audit log files or directories; - reads stdin', ['-'])
    .option(
      '-r, --rules <path>',
      'rules files whose lists and macros the condition may use (repeatable; default: built-in)',
      collect,
    )
    .option(
      '-o, --output <template>',
      "print each match with an output template, e.g. '%ka.user.name %ka.verb'",
    )
    .addOption(
      new Option('--format <format>', 'json (events), csv or table (of --fields)').choices([
        'json',
        'csv',
        'table',
      ]),
    )
    .option('--fields <list>', `fields for csv/table, comma-separated (default ${DEFAULT_FIELDS})`)
    .option('--count-by <fields>', 'count matches grouped by these fields, largest first')
    .option('--count', 'print only the number of matching events')
    .option('--limit <n>', 'stop after n matches (or show the n largest groups)', parsePositiveInt)
    .option('--no-fastpath', 'parse every event fully (skip the raw-line prefilter)')
    .addHelpText('after', EXAMPLES)
    .action(async (condition: string, paths: string[], o: QueryOptions) => {
      io.setExitCode(await runQuery(condition, paths, o, io));
    });
}

function splitFields(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

async function runQuery(
  condition: string,
  paths: string[],
  o: QueryOptions,
  io: CommandIo,
): Promise<number> {
  if (o.output && (o.format || o.countBy || o.count)) {
    usageError('-o cannot be combined with --format, --count-by or --count');
  }
  requireInput(paths, io);
  const q = await compileQuery(condition, o.rules ?? [DEFAULT_RULES_PATH]);
  const env = { registry: defaultFieldRegistry, source: q.source };
  const match = compileCondition(q.expr, env).fn;
  const skipLine =
    o.fastpath && q.source === 'k8s_audit'
      ? createLineSkipper(
          [q.expr],
          { registry: defaultFieldRegistry, source: 'k8s_audit' },
          { literals: true },
        )
      : undefined;
  const renderTemplate = (t: string) => {
    try {
      return compileOutputFormat(parseOutputFormat(t, env), env);
    } catch (err) {
      return usageError(`kaudit: bad output template: ${(err as Error).message}`);
    }
  };
  const out = createLineWriter(io.stdout);
  const limit = o.limit ?? Number.POSITIVE_INFINITY;
  let matched = 0;
  let onMatch: (rec: AuditRecord) => void;
  let finish: () => void = () => {};
  if (o.count) {
    onMatch = () => {};
    finish = () => out.line(String(matched));
  } else if (o.countBy) {
    const fields = splitFields(o.countBy);
    const tpl = renderTemplate(fields.map((f) => `%${f}`).join('\u0000'));
    const groups = new Map<string, number>();
    onMatch = (rec) => {
      const key = tpl.text(rec);
      groups.set(key, (groups.get(key) ?? 0) + 1);
    };
    finish = () => {
      const sorted = [...groups].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      const top = sorted.slice(0, o.limit ?? sorted.length);
      const rows = top.map(([k, n]) => [String(n), ...k.split('\u0000')]);
      const header = ['count', ...fields];
      if (o.format === 'json') {
        for (const r of rows) {
          const obj: Record<string, unknown> = { count: Number(r[0]) };
          fields.forEach((f, i) => {
            obj[f] = r[i + 1];
          });
          out.line(JSON.stringify(obj));
        }
      } else if (o.format === 'csv') {
        out.line(formatCsvRow(header));
        for (const r of rows) out.line(formatCsvRow(r));
      } else {
        out.line(formatTable(header, rows));
      }
    };
  } else if (o.output) {
    const tpl = renderTemplate(o.output);
    onMatch = (rec) => out.line(tpl.text(rec));
  } else if (o.format === 'csv' || o.format === 'table') {
    const fields = splitFields(o.fields ?? DEFAULT_FIELDS);
    const tpl = renderTemplate(fields.map((f) => `%${f}`).join('\u0000'));
    const rows: string[][] = [];
    if (o.format === 'csv') out.line(formatCsvRow(fields));
    onMatch = (rec) => {
      const cells = tpl.text(rec).split('\u0000');
      if (o.format === 'csv') out.line(formatCsvRow(cells));
      else rows.push(cells);
    };
    if (o.format === 'table') finish = () => out.line(formatTable(fields, rows));
  } else {
    onMatch = (rec) => out.line(JSON.stringify(rec.obj));
  }
  const countingGroups = o.countBy !== undefined;
  const decoder = createDecoder({ onReject: (info) => io.stderr.write(describeReject(info)) });
  await withRunErrors(() =>
    streamRecords({
      source: createFileSource(paths, { stdin: io.stdin }),
      decoder,
      ...(skipLine ? { skipLine } : {}),
      onRecord: (rec) => {
        if (matched >= limit && !countingGroups) return;
        if (rec.source !== q.source || !match(rec)) return;
        matched++;
        onMatch(rec);
      },
      onBatch: () => out.flush(),
      shouldStop: () => out.closed || (!countingGroups && matched >= limit),
    }),
  );
  finish();
  await withRunErrors(() => out.flush());
  return EXIT_OK;
}

/** The query condition, or a usage error pointing into it (a rules file error: exit 1). */
async function compileQuery(condition: string, rules: readonly string[]): Promise<QueryCondition> {
  const r = await compileQueryCondition(condition, rules);
  if (r.ok) return r.query;
  const text = formatLoadResult(r.result, { verbose: false }).trimEnd();
  if (r.readFailed) throw new CliError(text);
  throw new CliError(`kaudit: invalid query condition\n${text}`, EXIT_USAGE);
}
