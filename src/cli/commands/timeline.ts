import { type Command, Option } from 'commander';
import { createDecoder } from '../../events/index.ts';
import { createLineWriter } from '../../outputs/index.ts';
import { parseDurationNs } from '../../pipeline/index.ts';
import { DEFAULT_RULES_PATH, loadRuleset } from '../../rules/index.ts';
import { createFileSource } from '../../sources/index.ts';
import {
  formatTimelineJson,
  formatTimelineTable,
  identityCondition,
  runTimeline,
  type TimelineIdentity,
  TimelineIdentityError,
} from '../../timeline/index.ts';
import { type CommandIo, requireInput } from '../command-io.ts';
import { runExitCode, usageError } from '../errors.ts';
import { collect } from '../options.ts';
import { describeReject, requireLoaded } from '../report.ts';
import { withRunErrors } from '../run-errors.ts';

interface TimelineOptions extends TimelineIdentity {
  rules?: string[];
  format: 'table' | 'json';
  gap: string;
}

const EXAMPLES = `
Examples:
  $ kaudit timeline --serviceaccount ci/deployer examples/audit.log
  $ kaudit timeline --ip 198.51.100.23 logs/ --format json
  $ kaudit timeline --object secrets/kube-system/bootstrap-token-7xq2mf audit.log`;

/** `kaudit timeline`: what one identity did, in time order, in sessions, with marks. */
export function registerTimelineCommand(program: Command, io: CommandIo): void {
  program
    .command('timeline')
    .description("one identity's requests in time order, in sessions, with what matters marked")
    .argument('[paths...]', 'audit log files or directories; - reads stdin', ['-'])
    .option('--user <name>', 'a user (ka.user.name)')
    .option('--serviceaccount <ns/name>', 'a service account')
    .option('--ip <address>', 'a source IP (any of sourceIPs)')
    .option('--object <resource/[ns/]name>', 'an object, e.g. secrets/kube-system/token')
    .option('-r, --rules <path>', 'rules whose alerts are marked (default: built-in)', collect)
    .addOption(
      new Option('--format <format>', 'table or json').choices(['table', 'json']).default('table'),
    )
    .option('--gap <duration>', 'a pause longer than this starts a new session', '10m')
    .addHelpText('after', EXAMPLES)
    .action(async (paths: string[], o: TimelineOptions) => {
      io.setExitCode(await runTimelineCommand(paths, o, io));
    });
}

async function runTimelineCommand(
  paths: string[],
  o: TimelineOptions,
  io: CommandIo,
): Promise<number> {
  let selected: ReturnType<typeof identityCondition>;
  try {
    selected = identityCondition({
      ...(o.user !== undefined ? { user: o.user } : {}),
      ...(o.serviceaccount !== undefined ? { serviceaccount: o.serviceaccount } : {}),
      ...(o.ip !== undefined ? { ip: o.ip } : {}),
      ...(o.object !== undefined ? { object: o.object } : {}),
    });
  } catch (err) {
    if (err instanceof TimelineIdentityError) usageError(`kaudit: ${err.message}`);
    throw err;
  }
  const gapNs = parseDurationNs(o.gap);
  if (gapNs === undefined) usageError(`kaudit: --gap takes a duration (10m, 1h), not '${o.gap}'`);
  requireInput(paths, io);
  const loaded = requireLoaded(
    await loadRuleset({ rules: o.rules ?? [DEFAULT_RULES_PATH] }),
    io.stderr,
  );
  const decoder = createDecoder({ onReject: (info) => io.stderr.write(describeReject(info)) });
  const run = await withRunErrors(() =>
    runTimeline({
      source: createFileSource(paths, { stdin: io.stdin }),
      decoder,
      identity: selected.expr,
      rules: loaded.rules,
      gapNs,
      onInputError: (err) => io.stderr.write(`kaudit: ${err.message}\n`),
    }),
  );
  if (run.truncated)
    io.stderr.write('kaudit: timeline: only the first 200,000 requests are shown\n');
  const t = run.timeline;
  const out = createLineWriter(io.stdout);
  out.text(
    o.format === 'json'
      ? formatTimelineJson(selected.label, t)
      : formatTimelineTable(selected.label, t),
  );
  await out.flush();
  return runExitCode({ unreadable: run.unreadable, lines: run.stats.lines });
}
