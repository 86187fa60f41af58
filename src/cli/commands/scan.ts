import { availableParallelism } from 'node:os';
import { type Command, Option } from 'commander';
import type { MatchStats } from '../../engine/index.ts';
import { createDecoder, type DecodeStats } from '../../events/index.ts';
import { formatRunStats, formatSummary, type Output, type RunStats } from '../../outputs/index.ts';
import {
  createDetector,
  type DetectorConfig,
  runParallelScan,
  runPipeline,
  startScanWorkers,
} from '../../pipeline/index.ts';
import { loadRuleset, type Priority, priorityRank, type RuleSelector } from '../../rules/index.ts';
import {
  type Chunk,
  createFileSource,
  DEFAULT_MAX_LINE_BYTES,
  type InputError,
  planChunks,
} from '../../sources/index.ts';
import { type CommandIo, requireInput } from '../command-io.ts';
import { runExitCode } from '../errors.ts';
import { alertHostname } from '../hostname.ts';
import { collect, parseByteSize, parsePositiveInt, parsePriorityOption } from '../options.ts';
import { OUTPUT_HELP, openRunOutputs } from '../outputs.ts';
import { startProgress } from '../progress.ts';
import { describeReject, requireLoaded } from '../report.ts';
import { withRunErrors } from '../run-errors.ts';

interface ScanOptions {
  rules?: string[];
  format: 'text' | 'json';
  ruleMatching: 'first' | 'all';
  minPriority?: Priority;
  enable?: string[];
  disable?: string[];
  summary?: boolean;
  failOn?: Priority;
  maxEventSize?: number;
  maxLineSize?: number;
  dropOversize?: boolean;
  cluster?: string;
  follow?: boolean;
  isoTime?: boolean;
  fastpath: boolean;
  progress: boolean;
  workers?: number;
  output?: string[];
}

const EXAMPLES = `
Examples:
  $ kaudit scan /var/log/kubernetes/audit.log
  $ kaudit scan -r rules/ -r my-overrides.yaml --format json audit/ > alerts.jsonl
  $ zcat old.log.gz | kaudit scan - --summary
  $ kaudit scan --follow /var/log/kubernetes/audit.log --min-priority warning
  $ kaudit scan -r k8s_audit_rules.yaml --rule-matching all --fail-on error audit.log.gz
  $ kaudit scan --disable 'K8s * Created' --disable tag:k8s_activity audit.log
  $ kaudit scan --output stdout --output 'http[min-priority=warning]:http://falcosidekick:2801/' audit.log
  $ kaudit scan --output file[mode=0640]:/var/log/kaudit/alerts.json --output 'program:jq -c .' audit.log`;

function selections(o: ScanOptions, argv: readonly string[]): RuleSelector[] {
  // Keep the command-line order of --enable/--disable: later ones win, as Falco's `rules:`.
  const out: RuleSelector[] = [];
  const en = [...(o.enable ?? [])];
  const dis = [...(o.disable ?? [])];
  const selector = (action: 'enable' | 'disable', v: string): RuleSelector =>
    v.startsWith('tag:') ? { action, tag: v.slice(4) } : { action, rule: v };
  for (const a of argv) {
    if (a === '--enable' || a.startsWith('--enable=')) {
      const v = en.shift();
      if (v !== undefined) out.push(selector('enable', v));
    } else if (a === '--disable' || a.startsWith('--disable=')) {
      const v = dis.shift();
      if (v !== undefined) out.push(selector('disable', v));
    }
  }
  for (const v of en) out.push(selector('enable', v));
  for (const v of dis) out.push(selector('disable', v));
  return out;
}

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
    .option('-f, --follow', 'keep reading appended lines, across rotation (like tail -F)')
    .option('--iso-time', 'ISO 8601 UTC times in text alerts')
    .option(
      '--workers <n>',
      `threads scanning files, alerts kept in file order (default: one per core, ${availableParallelism()} here, for inputs of 128 MiB or more)`,
      parsePositiveInt,
    )
    .option('--no-fastpath', 'parse every event fully (skip the raw-line prefilter)')
    .option('--no-progress', 'no progress line on a terminal')
    .addHelpText('after', EXAMPLES)
    .action(async (paths: string[], o: ScanOptions) => {
      io.setExitCode(await runScan(paths, o, io));
    });
}

/**
 * Below this much input, more threads cost more (their start-up and JIT warm-up) than
 * they save: on the 2-core reference machine two threads took 0.93x to 0.96x the time of
 * one at 40 and 80 MB, broke even near 120 MB and gained 1.14x at 160 MB.
 */
const MIN_PARALLEL_BYTES = 128 * 1024 * 1024;
/**
 * The longest line held in memory (`--max-line-size`, default DEFAULT_MAX_LINE_BYTES): a
 * longer one is read unit by unit (EventList items, array elements, an event without its
 * bodies). It is never below the event size limit, which it must be able to hold.
 */
function maxLineBytes(o: ScanOptions): number {
  return Math.max(o.maxLineSize ?? DEFAULT_MAX_LINE_BYTES, o.maxEventSize ?? 0);
}

/** The decoder options the flags ask for, for this thread and the scanning threads. */
function decoderLimits(o: ScanOptions): { maxEventSize?: number; oversize?: 'drop' } {
  return {
    ...(o.maxEventSize ? { maxEventSize: o.maxEventSize } : {}),
    ...(o.dropOversize ? { oversize: 'drop' as const } : {}),
  };
}

/**
 * How many threads scan, and the chunks they share; undefined for one thread. `--workers`
 * asks for that many (the main thread counts as one); by default every core is used
 * once the files are large enough to repay starting the others.
 */
async function planWorkers(
  paths: readonly string[],
  o: ScanOptions,
): Promise<{ threads: number; chunks: Chunk[]; failed: readonly InputError[] } | undefined> {
  const threads = o.workers ?? availableParallelism();
  if (threads < 2 || o.follow) return undefined;
  const plan = await planChunks(paths, threads);
  if (plan === undefined || plan.chunks.length < 2) return undefined;
  if (o.workers === undefined && plan.totalBytes < MIN_PARALLEL_BYTES) return undefined;
  return {
    threads: Math.min(threads, plan.chunks.length),
    chunks: plan.chunks,
    failed: plan.failed,
  };
}

async function runScan(paths: string[], o: ScanOptions, io: CommandIo): Promise<number> {
  requireInput(paths, io);
  const detector: DetectorConfig = {
    ruleMatching: o.ruleMatching,
    ...(o.minPriority ? { minPriority: o.minPriority } : {}),
    selections: selections(o, io.argv),
    hostname: alertHostname(),
    fastpath: o.fastpath,
  };
  const run = openRunOutputs(o.output, { format: o.format, isoTime: o.isoTime === true }, io);
  try {
    return await scanWith(paths, o, io, detector, run.outputs);
  } finally {
    await run.close();
  }
}

async function scanWith(
  paths: string[],
  o: ScanOptions,
  io: CommandIo,
  detector: DetectorConfig,
  outputs: readonly Output[],
): Promise<number> {
  const failRank = o.failOn ? priorityRank(o.failOn) : -1;
  let failed = false;
  const onPriority = (p: Priority): void => {
    if (priorityRank(p) <= failRank) failed = true;
  };
  const onReject = (info: Parameters<typeof describeReject>[0]): void => {
    io.stderr.write(describeReject(info));
  };
  const onInputError = (err: Error): void => {
    io.stderr.write(`kaudit: ${err.message}\n`);
  };
  const loadRules = async () =>
    requireLoaded(
      await loadRuleset({
        ...(o.rules ? { rules: o.rules } : {}),
        ...(o.minPriority ? { minPriority: o.minPriority } : {}),
      }),
      io.stderr,
    );
  let summary: { match: MatchStats; run: RunStats };
  const workers = await planWorkers(paths, o);
  const stats = (s: DecodeStats) => (o.progress ? startProgress(io.stderr, s) : undefined);
  if (workers !== undefined) {
    // The workers boot while this thread loads the rules, then receive them loaded.
    const pool = startScanWorkers(workers.threads - 1);
    try {
      const loaded = await loadRules();
      const decodeStats = createDecoder().stats;
      const progress = stats(decodeStats);
      const r = await withRunErrors(() =>
        runParallelScan(pool, workers.chunks, loaded.rules, {
          config: {
            detector,
            maxLineBytes: maxLineBytes(o),
            ...decoderLimits(o),
            ...(o.cluster ? { cluster: o.cluster } : {}),
          },
          outputs,
          onReject,
          onPriority,
          onInputError,
          failedInputs: workers.failed,
          stats: decodeStats,
        }),
      ).finally(() => progress?.stop());
      summary = { match: r.match, run: r };
    } finally {
      await pool.terminate();
    }
  } else {
    const loaded = await loadRules();
    const det = createDetector(loaded.rules, detector);
    const decoder = createDecoder({
      onReject,
      ...decoderLimits(o),
      ...(o.cluster ? { cluster: o.cluster } : {}),
    });
    const progress = stats(decoder.stats);
    const run = await withRunErrors(() =>
      runPipeline({
        source: createFileSource(paths, {
          maxLineBytes: maxLineBytes(o),
          stdin: io.stdin,
          ...(o.follow ? { follow: true } : {}),
        }),
        decoder,
        detector: det,
        outputs,
        onInputError,
        onAlert: (a) => onPriority(a.priority),
      }),
    ).finally(() => progress?.stop());
    summary = { match: det.engine.stats, run };
  }
  if (o.summary) {
    io.stderr.write(formatSummary(summary.match));
    io.stderr.write(formatRunStats(summary.run));
  }
  return runExitCode({
    failOn: failed,
    unreadable: summary.run.unreadable,
    lines: summary.run.stats.lines,
  });
}
