import { availableParallelism } from 'node:os';
import { type Command, Option } from 'commander';
import { formatSummary } from '../../engine/index.ts';
import { createDecodeStats } from '../../events/index.ts';
import { type Priority, priorityRank } from '../../rules/index.ts';
import { EXIT_FAIL, EXIT_OK, usageError } from '../errors.ts';
import { createLineWriter } from '../io.ts';
import { collect, parseByteSize, parsePositiveInt, parsePriorityOption } from '../options.ts';
import { type Chunk, planChunks } from '../parallel/plan-chunks.ts';
import { runParallelScan, startScanWorkers } from '../parallel/run-parallel.ts';
import { runPipeline } from '../pipeline.ts';
import { startProgress } from '../progress.ts';
import { loadRuleset, type SelectionArg } from '../ruleset.ts';
import { formatRunStats } from '../run-stats.ts';
import { createScanCore, type ScanConfig } from '../scan-core.ts';

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
  cluster?: string;
  follow?: boolean;
  isoTime?: boolean;
  fastpath: boolean;
  progress: boolean;
  workers?: number;
}

const EXAMPLES = `
Examples:
  $ kaudit scan /var/log/kubernetes/audit.log
  $ kaudit scan -r rules/ -r my-overrides.yaml --format json audit/ > alerts.jsonl
  $ zcat old.log.gz | kaudit scan - --summary
  $ kaudit scan --follow /var/log/kubernetes/audit.log --min-priority warning
  $ kaudit scan -r k8s_audit_rules.yaml --rule-matching all --fail-on error audit.log.gz
  $ kaudit scan --disable 'K8s * Created' --disable tag:k8s_activity audit.log`;

/** Streams the process uses; tests pass their own. */
export interface CommandIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly argv: readonly string[];
  setExitCode(code: number): void;
}

function selections(o: ScanOptions, argv: readonly string[]): SelectionArg[] {
  // Keep the command-line order of --enable/--disable: later ones win, as Falco's `rules:`.
  const out: SelectionArg[] = [];
  const en = [...(o.enable ?? [])];
  const dis = [...(o.disable ?? [])];
  for (const a of argv) {
    if (a === '--enable' || a.startsWith('--enable=')) {
      const v = en.shift();
      if (v !== undefined) out.push({ action: 'enable', value: v });
    } else if (a === '--disable' || a.startsWith('--disable=')) {
      const v = dis.shift();
      if (v !== undefined) out.push({ action: 'disable', value: v });
    }
  }
  for (const v of en) out.push({ action: 'enable', value: v });
  for (const v of dis) out.push({ action: 'disable', value: v });
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
      new Option('--format <format>', 'alert format').choices(['text', 'json']).default('text'),
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
      'skip events larger than this (default 256k)',
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
 * How many threads scan, and the chunks they share; undefined for one thread. `--workers`
 * asks for that many (the main thread counts as one); by default every core is used
 * once the files are large enough to repay starting the others.
 */
async function planWorkers(
  paths: readonly string[],
  o: ScanOptions,
): Promise<{ threads: number; chunks: Chunk[] } | undefined> {
  const threads = o.workers ?? availableParallelism();
  if (threads < 2 || o.follow) return undefined;
  const plan = await planChunks(paths, threads);
  if (plan === undefined || plan.chunks.length < 2) return undefined;
  if (o.workers === undefined && plan.totalBytes < MIN_PARALLEL_BYTES) return undefined;
  return { threads: Math.min(threads, plan.chunks.length), chunks: plan.chunks };
}

async function runScan(paths: string[], o: ScanOptions, io: CommandIo): Promise<number> {
  const cfg: ScanConfig = {
    ...(o.rules ? { rules: o.rules } : {}),
    selections: selections(o, io.argv),
    format: o.format,
    ruleMatching: o.ruleMatching,
    ...(o.minPriority ? { minPriority: o.minPriority } : {}),
    ...(o.cluster ? { cluster: o.cluster } : {}),
    isoTime: o.isoTime === true,
    fastpath: o.fastpath,
    ...(o.maxEventSize ? { maxEventSize: o.maxEventSize } : {}),
  };
  requireInput(paths, io);
  const failRank = o.failOn ? priorityRank(o.failOn) : -1;
  const workers = await planWorkers(paths, o);
  if (workers !== undefined) {
    // The workers boot while this thread loads the rules, then receive them loaded.
    const pool = startScanWorkers(workers.threads - 1);
    try {
      const loaded = await loadRuleset({ ...cfg, stderr: io.stderr });
      const r = await runParallelScan(pool, workers.chunks, loaded.rules, cfg, {
        io,
        summary: o.summary === true,
        failRank,
        progress: o.progress,
      });
      return r.failed ? EXIT_FAIL : EXIT_OK;
    } finally {
      await pool.terminate();
    }
  }
  const loaded = await loadRuleset({ ...cfg, stderr: io.stderr });

  const core = createScanCore(loaded.rules, cfg);
  const out = createLineWriter(io.stdout);
  let failed = false;
  const emit = (line: string, a: { priority: Priority }): void => {
    out.line(line);
    if (priorityRank(a.priority) <= failRank) failed = true;
  };
  const stats = createDecodeStats();
  const progress = o.progress ? startProgress(io.stderr, stats) : undefined;
  const result = await runPipeline({
    paths,
    stderr: io.stderr,
    stdin: io.stdin,
    stats,
    ...(o.follow ? { follow: true } : {}),
    ...(o.maxEventSize ? { maxEventSize: o.maxEventSize } : {}),
    ...(core.skipLine ? { skipLine: core.skipLine } : {}),
    onRecord: (rec) => core.processRecord(rec, emit),
    onBatch: () => out.flush(),
    shouldStop: () => out.closed,
  }).finally(() => progress?.stop());
  await out.flush();
  if (o.summary) {
    io.stderr.write(formatSummary(core.engine.stats));
    io.stderr.write(formatRunStats(result));
  }
  return failed ? EXIT_FAIL : EXIT_OK;
}

/** Reading a terminal would wait forever: with no paths, stdin must be a pipe or file. */
export function requireInput(paths: readonly string[], io: CommandIo): void {
  const onlyStdin = paths.length === 1 && paths[0] === '-';
  if (onlyStdin && (io.stdin as NodeJS.ReadStream).isTTY === true) {
    usageError('no input: give audit log paths, or pipe a log to stdin (use - explicitly)');
  }
}
