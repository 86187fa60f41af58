import { type Command, Option } from 'commander';
import { createDecoder } from '../../events/index.ts';
import {
  createLineWriter,
  createRecordPrinter,
  type PrintSpec,
  type RecordPrinter,
  TemplateError,
} from '../../outputs/index.ts';
import {
  parseTimeBound,
  type QueryNarrowing,
  runQuery,
  TimeBoundError,
} from '../../pipeline/index.ts';
import {
  compileQueryCondition,
  DEFAULT_RULES_PATH,
  formatLoadResult,
  type QueryCondition,
} from '../../rules/index.ts';
import { createFileSource } from '../../sources/index.ts';
import { type CommandIo, requireInput } from '../command-io.ts';
import { CliError, EXIT_USAGE, runExitCode, usageError } from '../errors.ts';
import { collect, parsePositiveInt } from '../options.ts';
import { describeReject } from '../report.ts';
import { withRunErrors } from '../run-errors.ts';

interface QueryOptions {
  rules?: string[];
  output?: string;
  format?: 'json' | 'ndjson' | 'csv' | 'table';
  fields?: string;
  countBy?: string;
  count?: boolean;
  limit?: number;
  fastpath: boolean;
  rawFields?: boolean;
  since?: string;
  until?: string;
  at?: string;
  sort?: 'time';
  reverse?: boolean;
  final?: boolean;
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
  # what happened in the last two hours, in time order, one line per request
  $ kaudit query 'ka.user.name=alice' logs/ --since 2h --sort time --final --format table
  # a window given as times (any offset), newest first
  $ kaudit query 'ka.verb=delete' audit.log --since 2026-03-02T10:00:00Z --until 2026-03-02T11:00:00+01:00 --sort time --reverse
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
      new Option(
        '--format <format>',
        'json or ndjson (events, or objects of --fields), csv or table (of --fields)',
      ).choices(['json', 'ndjson', 'csv', 'table']),
    )
    .option('--fields <list>', `fields for csv/table, comma-separated (default ${DEFAULT_FIELDS})`)
    .option('--count-by <fields>', 'count matches grouped by these fields, largest first')
    .option('--count', 'print only the number of matching events')
    .option('--limit <n>', 'stop after n matches (or show the n largest groups)', parsePositiveInt)
    .option(
      '--since <time>',
      'only events at or after: RFC 3339 time, or a duration ago (30m, 1h, 2d)',
    )
    .option('--until <time>', 'only events before: RFC 3339 time, or a duration ago')
    .option('--at <time>', 'the "now" that --since/--until durations count back from (RFC 3339)')
    .addOption(
      new Option('--sort <key>', 'print matches in event-time order across all inputs').choices([
        'time',
      ]),
    )
    .option('--reverse', 'with --sort time: newest first')
    .option(
      '--final',
      'one event per request: its last stage (ResponseComplete; ResponseStarted for exec, attach, port-forward)',
    )
    .option('--no-fastpath', 'parse every event fully (skip the raw-line prefilter)')
    .option(
      '--raw-fields',
      '-o shows control characters of event fields as they are (escaped by default)',
    )
    .addHelpText('after', EXAMPLES)
    .action(async (condition: string, paths: string[], o: QueryOptions) => {
      io.setExitCode(await runQueryCommand(condition, paths, o, io));
    });
}

function splitFields(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** The printer spec the options ask for. */
function printSpec(o: QueryOptions): PrintSpec {
  if (o.count) return { kind: 'count' };
  if (o.countBy) {
    return {
      kind: 'count-by',
      fields: splitFields(o.countBy),
      format: o.format === 'ndjson' ? 'json' : (o.format ?? 'table'),
      ...(o.limit !== undefined ? { limit: o.limit } : {}),
    };
  }
  if (o.output) {
    return { kind: 'template', template: o.output, ...(o.rawFields ? { rawFields: true } : {}) };
  }
  if (o.format === 'csv' || o.format === 'table') {
    return { kind: 'rows', fields: splitFields(o.fields ?? DEFAULT_FIELDS), format: o.format };
  }
  // JSON lines either way: whole events, or the chosen fields as one object per line.
  if (o.fields !== undefined)
    return { kind: 'rows', fields: splitFields(o.fields), format: 'json' };
  return { kind: 'events' };
}

async function runQueryCommand(
  condition: string,
  paths: string[],
  o: QueryOptions,
  io: CommandIo,
): Promise<number> {
  if (o.output && (o.format || o.countBy || o.count)) {
    usageError('-o cannot be combined with --format, --count-by or --count');
  }
  if (o.reverse && o.sort === undefined) usageError('--reverse needs --sort time');
  const narrowing = narrowingOf(o);
  requireInput(paths, io);
  const query = await compileQuery(condition, o.rules ?? [DEFAULT_RULES_PATH]);
  if (o.final && query.source !== 'k8s_audit') {
    usageError('--final applies to audit events (k8s_audit), not admission reviews');
  }
  const out = createLineWriter(io.stdout);
  let printer: RecordPrinter;
  try {
    printer = createRecordPrinter(printSpec(o), query.source, out);
  } catch (err) {
    if (err instanceof TemplateError) usageError(`kaudit: ${err.message}`);
    throw err;
  }
  const decoder = createDecoder({ onReject: (info) => io.stderr.write(describeReject(info)) });
  const run = await withRunErrors(() =>
    runQuery({
      source: createFileSource(paths, { stdin: io.stdin }),
      decoder,
      query,
      printer,
      fastpath: o.fastpath,
      ...(o.limit !== undefined ? { limit: o.limit } : {}),
      narrowing,
      ...(o.sort === 'time' ? { sort: { reverse: o.reverse === true } } : {}),
      countsAll: o.countBy !== undefined,
      flush: () => out.flush(),
      closed: () => out.closed,
      onInputError: (err) => io.stderr.write(`kaudit: ${err.message}\n`),
    }),
  );
  return runExitCode({ unreadable: run.unreadable, lines: run.stats.lines });
}

/** `--since`, `--until` (durations back from `--at`, or now) and `--final`; usage errors. */
function narrowingOf(o: QueryOptions): QueryNarrowing {
  try {
    const nowNs = o.at === undefined ? BigInt(Date.now()) * 1_000_000n : parseTimeBound(o.at, 0n);
    if (o.at !== undefined && !/\d{4}-/.test(o.at)) usageError('--at takes an RFC 3339 time');
    const sinceNs = o.since === undefined ? undefined : parseTimeBound(o.since, nowNs);
    const untilNs = o.until === undefined ? undefined : parseTimeBound(o.until, nowNs);
    return {
      ...(sinceNs !== undefined ? { sinceNs } : {}),
      ...(untilNs !== undefined ? { untilNs } : {}),
      ...(o.final ? { final: true } : {}),
    };
  } catch (err) {
    if (err instanceof TimeBoundError) usageError(`kaudit: ${err.message}`);
    throw err;
  }
}

/** The query condition, or a usage error pointing into it (a rules file error: exit 1). */
async function compileQuery(condition: string, rules: readonly string[]): Promise<QueryCondition> {
  const r = await compileQueryCondition(condition, rules);
  if (r.ok) return r.query;
  const text = formatLoadResult(r.result, { verbose: false }).trimEnd();
  if (r.readFailed) throw new CliError(text);
  throw new CliError(`kaudit: invalid query condition\n${text}`, EXIT_USAGE);
}
