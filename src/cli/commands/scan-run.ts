import { availableParallelism } from 'node:os';
import type { MatchStats } from '../../engine/index.ts';
import { createDecoder, type DecodeStats, type InputFormatChoice } from '../../events/index.ts';
import { formatRunStats, formatSummary, type Output, type RunStats } from '../../outputs/index.ts';
import {
  createDetector,
  type DetectorConfig,
  runParallelScan,
  runPipeline,
  startScanWorkers,
} from '../../pipeline/index.ts';
import {
  loadRuleset,
  type Priority,
  parsePriority,
  priorityRank,
  type RuleSelector,
} from '../../rules/index.ts';
import {
  applyOverrides,
  type FalcoSettings,
  type JsonIncludes,
  jsonIncludes,
  parseFalcoOverride,
  readFalcoSettings,
} from '../../server/config/falco-options.ts';
import { ConfigError } from '../../server/config/load-config.ts';
import {
  type Chunk,
  createFileSource,
  DEFAULT_MAX_LINE_BYTES,
  type FollowState,
  FollowStateError,
  type InputError,
  openFollowState,
  planChunks,
} from '../../sources/index.ts';
import { type CommandIo, requireInput } from '../command-io.ts';
import { CliError, EXIT_FAIL, runExitCode, usageError } from '../errors.ts';
import { alertHostname } from '../hostname.ts';
import { openRunOutputs } from '../outputs.ts';
import { startProgress } from '../progress.ts';
import { describeReject, requireLoaded } from '../report.ts';
import { withRunErrors } from '../run-errors.ts';
import type { ScanStore } from '../scan-store.ts';
import { withStopSignals } from '../stop-signals.ts';

/** The options of `kaudit scan`, as commander parses them. */
export interface ScanOptions {
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
  inputFormat?: InputFormatChoice;
  follow?: boolean;
  fromEnd?: boolean;
  stateFile?: string;
  isoTime?: boolean;
  rawFields?: boolean;
  fastpath: boolean;
  progress: boolean;
  workers?: number;
  output?: string[];
  /** Falco's `-o key=value` (falco.yaml keys), applied by withFalcoOptions. */
  option?: string[];
  store?: string;
  explain?: boolean;
  correlationTolerance?: number;
  correlationMaxGroups?: number;
}

/** `--enable`/`--disable` in command-line order. */
export function selections(o: ScanOptions, argv: readonly string[]): RuleSelector[] {
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
function decoderLimits(o: ScanOptions): {
  maxEventSize?: number;
  oversize?: 'drop';
  format?: InputFormatChoice;
} {
  return {
    ...(o.inputFormat !== undefined ? { format: o.inputFormat } : {}),
    ...(o.maxEventSize ? { maxEventSize: o.maxEventSize } : {}),
    ...(o.dropOversize ? { oversize: 'drop' as const } : {}),
  };
}

/** What a scan needs besides its options: where things go, and the run's callbacks. */
interface ScanContext {
  readonly paths: readonly string[];
  readonly o: ScanOptions;
  readonly io: CommandIo;
  readonly detector: DetectorConfig;
  readonly outputs: readonly Output[];
  readonly onReject: (info: Parameters<typeof describeReject>[0]) => void;
  readonly onInputError: (err: Error) => void;
  readonly onPriority: (p: Priority) => void;
}

/** A scan's counts for `--summary` and the exit code. */
interface ScanResult {
  readonly match: MatchStats;
  readonly run: RunStats;
}

/**
 * How many threads scan, and the chunks they share; undefined for one thread. `--workers`
 * asks for that many (the main thread counts as one), but never more than there are
 * cores or chunks (more only cost memory and start-up): a warning says so. By default
 * every core is used once the files are large enough to repay starting the others.
 */
async function planWorkers(
  c: ScanContext,
): Promise<{ threads: number; chunks: Chunk[]; failed: readonly InputError[] } | undefined> {
  const { o, io } = c;
  const cores = availableParallelism();
  const asked = o.workers;
  if (asked !== undefined && asked > cores) {
    io.stderr.write(
      `kaudit: --workers ${asked}: this machine has ${cores} core(s), using ${cores}\n`,
    );
  }
  const threads = Math.min(asked ?? cores, cores);
  if (threads < 2 || o.follow) return undefined;
  const plan = await planChunks(c.paths, threads);
  if (plan === undefined) return undefined;
  if (asked === undefined && plan.totalBytes < MIN_PARALLEL_BYTES) return undefined;
  if (asked !== undefined && plan.chunks.length < threads) {
    const n = Math.max(plan.chunks.length, 1);
    io.stderr.write(
      `kaudit: --workers ${asked}: the input splits into ${plan.chunks.length} chunk(s), using ${n} thread(s)\n`,
    );
  }
  if (plan.chunks.length < 2) return undefined;
  return {
    threads: Math.min(threads, plan.chunks.length),
    chunks: plan.chunks,
    failed: plan.failed,
  };
}

async function loadRules(o: ScanOptions, io: CommandIo) {
  return requireLoaded(
    await loadRuleset({
      ...(o.rules ? { rules: o.rules } : {}),
      ...(o.minPriority ? { minPriority: o.minPriority } : {}),
      // The plugin Falco would load for this input provides the k8s_audit source.
      provider: o.inputFormat ?? 'auto',
    }),
    io.stderr,
  );
}

function progressFor(o: ScanOptions, io: CommandIo, stats: DecodeStats) {
  return o.progress ? startProgress(io.stderr, stats) : undefined;
}

/** Scans file chunks on several threads (large inputs, `--workers`). */
async function scanParallel(
  c: ScanContext,
  workers: NonNullable<Awaited<ReturnType<typeof planWorkers>>>,
): Promise<ScanResult> {
  // The workers boot while this thread loads the rules, then receive them loaded.
  const pool = startScanWorkers(workers.threads - 1);
  try {
    const loaded = await loadRules(c.o, c.io);
    const decodeStats = createDecoder().stats;
    const progress = progressFor(c.o, c.io, decodeStats);
    const r = await withRunErrors(() =>
      runParallelScan(pool, workers.chunks, loaded.rules, {
        config: {
          detector: c.detector,
          maxLineBytes: maxLineBytes(c.o),
          ...decoderLimits(c.o),
          ...(c.o.cluster ? { cluster: c.o.cluster } : {}),
        },
        outputs: c.outputs,
        onReject: c.onReject,
        onPriority: c.onPriority,
        onInputError: c.onInputError,
        failedInputs: workers.failed,
        stats: decodeStats,
      }),
    ).finally(() => progress?.stop());
    return { match: r.match, run: r };
  } finally {
    await pool.terminate();
  }
}

/** Whether a flag was given on the command line (not a default). */
function given(argv: readonly string[], flag: string): boolean {
  return argv.some((a) => a === flag || a.startsWith(`${flag}=`));
}

/**
 * Applies `-o key=value` (Falco's syntax, falco.yaml's keys) to the scan's options; a
 * kaudit flag given on the command line wins over the same setting from `-o`. Returns
 * the options and the json_include_* of every output's JSON alerts.
 */
function falcoOptions(
  o: ScanOptions,
  argv: readonly string[],
): { options: ScanOptions; includes: JsonIncludes } {
  if (o.option === undefined || o.option.length === 0) return { options: o, includes: {} };
  let s: FalcoSettings;
  try {
    s = readFalcoSettings(applyOverrides({}, o.option.map(parseFalcoOverride)), '-o');
  } catch (err) {
    if (err instanceof ConfigError) usageError(`kaudit: ${err.message}`);
    throw err;
  }
  const out: ScanOptions = { ...o };
  if (s.jsonOutput !== undefined && !given(argv, '--format')) {
    out.format = s.jsonOutput ? 'json' : 'text';
  }
  if (s.isoTime !== undefined && o.isoTime !== true) out.isoTime = s.isoTime;
  if (s.minPriority !== undefined && o.minPriority === undefined) {
    const p = parsePriority(s.minPriority);
    if (p === undefined) usageError(`kaudit: -o priority=${s.minPriority}: not a priority`);
    out.minPriority = p;
  }
  if (s.ruleMatching !== undefined && !given(argv, '--rule-matching')) {
    if (s.ruleMatching !== 'first' && s.ruleMatching !== 'all') {
      usageError(`kaudit: -o rule_matching=${s.ruleMatching}: expected first or all`);
    }
    out.ruleMatching = s.ruleMatching;
  }
  if (s.rules !== undefined && o.rules === undefined) out.rules = [...s.rules];
  if (s.outputs !== undefined && o.output === undefined) out.output = [...s.outputs];
  return { options: out, includes: jsonIncludes(s) };
}

/** The follow state of `--state-file`, read before anything else is (a bad one stops the run). */
function openStateFile(o: ScanOptions): FollowState | undefined {
  if (o.stateFile === undefined) return undefined;
  try {
    return openFollowState(o.stateFile);
  } catch (err) {
    if (err instanceof FollowStateError) {
      throw new CliError(`kaudit: --state-file ${err.message} (${err.code})`, EXIT_FAIL);
    }
    throw err;
  }
}

/** `--from-end` and `--state-file` only make sense when following files. */
function checkFollowOptions(paths: readonly string[], o: ScanOptions): void {
  if (!o.follow && (o.fromEnd || o.stateFile !== undefined)) {
    usageError(`kaudit: ${o.fromEnd ? '--from-end' : '--state-file'} needs --follow`);
  }
  if (o.stateFile !== undefined && paths.includes('-')) {
    usageError('kaudit: --state-file keeps positions in files: stdin (-) has none');
  }
}

/** Scans on this thread: small inputs, stdin, `--follow` (until SIGINT or SIGTERM). */
async function scanOneThread(c: ScanContext): Promise<ScanResult> {
  const { o, io } = c;
  const loaded = await loadRules(o, io);
  const det = createDetector(loaded.rules, c.detector);
  const decoder = createDecoder({
    onReject: c.onReject,
    ...decoderLimits(o),
    ...(o.cluster ? { cluster: o.cluster } : {}),
  });
  const progress = progressFor(o, io, decoder.stats);
  const followState = openStateFile(o);
  const scan = (signal?: AbortSignal) =>
    withRunErrors(() =>
      runPipeline({
        source: createFileSource(c.paths, {
          maxLineBytes: maxLineBytes(o),
          stdin: io.stdin,
          ...(o.follow ? { follow: true } : {}),
          ...(o.fromEnd ? { fromEnd: true } : {}),
          ...(followState !== undefined ? { followState } : {}),
        }),
        decoder,
        detector: det,
        outputs: c.outputs,
        onInputError: c.onInputError,
        onAlert: (a) => c.onPriority(a.priority),
        ...(signal !== undefined ? { signal } : {}),
      }),
    );
  // A followed scan never ends by itself: a stop signal ends it with its summary.
  const run = await (o.follow ? withStopSignals(scan) : scan()).finally(() => progress?.stop());
  return { match: det.engine.stats, run };
}

/** Runs `kaudit scan`; resolves to its exit code. */
export async function runScan(paths: string[], opts: ScanOptions, io: CommandIo): Promise<number> {
  let o = opts;
  requireInput(paths, io);
  checkFollowOptions(paths, o);
  const falco = falcoOptions(o, io.argv);
  o = falco.options;
  const stdoutFormat = {
    format: o.format,
    isoTime: o.isoTime === true,
    ...(o.rawFields === true ? { rawFields: true } : {}),
    ...falco.includes,
  };
  // Loading a log into a store prints no alerts unless --output asks for them too.
  // Loaded only for --store: the stores' libraries (SQLite, PostgreSQL) would slow every scan's start.
  const store =
    o.store === undefined
      ? undefined
      : await (await import('../scan-store.ts')).openScanStore(o.store, io);
  let run: ReturnType<typeof openRunOutputs>;
  try {
    run = openRunOutputs(o.output ?? (store ? [] : undefined), stdoutFormat, io, falco.includes);
  } catch (err) {
    await store?.close();
    throw err;
  }
  const outputs = store === undefined ? run.outputs : [...run.outputs, store.output];
  try {
    return await scanWith(paths, o, io, outputs, store);
  } finally {
    await run.close();
    await store?.output.close().catch(() => {});
    await store?.close();
  }
}

async function scanWith(
  paths: string[],
  o: ScanOptions,
  io: CommandIo,
  outputs: readonly Output[],
  store: ScanStore | undefined,
): Promise<number> {
  const failRank = o.failOn ? priorityRank(o.failOn) : -1;
  let failed = false;
  const c: ScanContext = {
    paths,
    o,
    io,
    detector: {
      ruleMatching: o.ruleMatching,
      ...(o.minPriority ? { minPriority: o.minPriority } : {}),
      selections: selections(o, io.argv),
      hostname: alertHostname(),
      fastpath: o.fastpath,
      // The store keeps each alert's event, for the UI's alert page.
      ...(store !== undefined ? { keepEvent: true } : {}),
      ...(o.explain ? { explain: true } : {}),
      correlation: {
        ...(o.correlationTolerance !== undefined ? { toleranceMs: o.correlationTolerance } : {}),
        ...(o.correlationMaxGroups !== undefined ? { maxGroups: o.correlationMaxGroups } : {}),
      },
    },
    outputs,
    onReject: (info) => io.stderr.write(describeReject(info)),
    onInputError: (err) => io.stderr.write(`kaudit: ${err.message}\n`),
    onPriority: (p) => {
      if (priorityRank(p) <= failRank) failed = true;
    },
  };
  const workers = await planWorkers(c);
  const summary = workers !== undefined ? await scanParallel(c, workers) : await scanOneThread(c);
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
