import { type Command, Option } from 'commander';
import {
  type Alert,
  createEngine,
  formatAlertJson,
  formatAlertText,
  formatSummary,
  type Priority,
  priorityRank,
} from '../../engine/index.ts';
import { createPrefilter, scanHeader } from '../../fastpath/index.ts';
import { createDecodeStats } from '../../events/index.ts';
import { defaultFieldRegistry } from '../../fields/index.ts';
import { EXIT_FAIL, EXIT_OK } from '../errors.ts';
import { createLineWriter } from '../io.ts';
import { collect, parseByteSize, parsePriorityOption } from '../options.ts';
import { runPipeline } from '../pipeline.ts';
import { loadRuleset, type SelectionArg } from '../ruleset.ts';
import { formatRunStats } from '../run-stats.ts';
import { startProgress } from '../progress.ts';

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
}

const EXAMPLES = `
Examples:
  $ kaudit scan /var/log/kubernetes/audit.log
  $ kaudit scan -r rules/ -r my-overrides.yaml --format json audit/ > alerts.jsonl
  $ zcat old.log.gz | kaudit scan - --summary
  $ kaudit scan --follow /var/log/kubernetes/audit.log --min-priority warning
  $ kaudit scan -r k8s_audit_rules.yaml --rule-matching all --fail-on error audit.log.gz
  $ kaudit scan --disable 'K8s * Created' --disable tag:k8s_activity audit.log`;

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
    .option('-r, --rules <path>', 'rules file or directory (repeatable; default: built-in rules)', collect)
    .addOption(new Option('--format <format>', 'alert format').choices(['text', 'json']).default('text'))
    .addOption(
      new Option('--rule-matching <mode>', 'fire the first matching rule per event, or all')
        .choices(['first', 'all'])
        .default('first'),
    )
    .option('--min-priority <priority>', 'ignore rules less severe than this', parsePriorityOption)
    .option('--enable <rule-glob|tag:NAME>', 'enable rules by name glob or tag (repeatable)', collect)
    .option('--disable <rule-glob|tag:NAME>', 'disable rules by name glob or tag (repeatable)', collect)
    .option('--summary', "print Falco's end-of-run summary and input statistics on stderr")
    .option('--fail-on <priority>', 'exit 1 when any alert is at or above this priority', parsePriorityOption)
    .option('--max-event-size <bytes>', 'skip events larger than this (default 256k)', parseByteSize)
    .option('--cluster <name>', 'cluster name on every alert (ka.cluster.name)')
    .option('-f, --follow', 'keep reading appended lines, across rotation (like tail -F)')
    .option('--iso-time', 'ISO 8601 UTC times in text alerts')
    .option('--no-fastpath', 'parse every event fully (skip the raw-line prefilter)')
    .option('--no-progress', 'no progress line on a terminal')
    .addHelpText('after', EXAMPLES)
    .action(async (paths: string[], o: ScanOptions) => {
      io.setExitCode(await runScan(paths, o, io));
    });
}

/** Streams the process uses; tests pass their own. */
export interface CommandIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly argv: readonly string[];
  setExitCode(code: number): void;
}

async function runScan(paths: string[], o: ScanOptions, io: CommandIo): Promise<number> {
  const loaded = await loadRuleset({
    ...(o.rules ? { rules: o.rules } : {}),
    selections: selections(o, io.argv),
    ...(o.minPriority ? { minPriority: o.minPriority } : {}),
    stderr: io.stderr,
  });
  const extraFields = o.cluster ? { 'ka.cluster.name': o.cluster } : undefined;
  const engine = createEngine({
    rules: loaded.rules,
    ruleMatching: o.ruleMatching,
    ...(o.minPriority ? { minPriority: o.minPriority } : {}),
    ...(extraFields ? { extraFields } : {}),
  });
  const prefilter =
    o.fastpath
      ? createPrefilter(
          engine.activeRules.filter((r) => r.source === 'k8s_audit').map((r) => r.condition),
          { registry: defaultFieldRegistry, source: 'k8s_audit' },
        )
      : undefined;
  // Admission logs and rules need the full parse: only pure k8s_audit rule sets prefilter.
  const onlyAudit = engine.activeRules.every((r) => r.source === 'k8s_audit');
  const skipLine =
    prefilter && onlyAudit
      ? (line: string): boolean => {
          const h = scanHeader(line);
          return h !== undefined && !prefilter(h);
        }
      : undefined;
  const out = createLineWriter(io.stdout);
  const failRank = o.failOn ? priorityRank(o.failOn) : -1;
  let failed = false;
  const fmt = { isoTime: o.isoTime === true };
  const emit = (a: Alert): void => {
    out.line(o.format === 'json' ? formatAlertJson(a, fmt) : formatAlertText(a, fmt));
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
    ...(skipLine ? { skipLine } : {}),
    onRecord: (rec) => {
      if (o.cluster) setClusterName(rec.obj, o.cluster);
      for (const a of engine.process(rec)) emit(a);
    },
    onBatch: async () => {
      await out.flush();
    },
    shouldStop: () => out.closed,
  }).finally(() => progress?.stop());
  await out.flush();
  if (o.summary) {
    io.stderr.write(formatSummary(engine.stats));
    io.stderr.write(formatRunStats(result));
  }
  return failed ? EXIT_FAIL : EXIT_OK;
}

/** `--cluster`: events without a `cluster_name` annotation get ours, for ka.cluster.name. */
function setClusterName(obj: Record<string, unknown>, name: string): void {
  const ann = obj.annotations;
  if (ann !== null && typeof ann === 'object' && !Array.isArray(ann)) {
    const a = ann as Record<string, unknown>;
    if (typeof a.cluster_name !== 'string') a.cluster_name = name;
  } else {
    obj.annotations = { cluster_name: name };
  }
}
