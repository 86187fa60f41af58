import { type Command, Option } from 'commander';
import type { Output } from '../../outputs/index.ts';
import type { CommandIo } from '../command-io.ts';
import { CliError, EXIT_FAIL, EXIT_OK, EXIT_USAGE } from '../errors.ts';
import { alertHostname } from '../hostname.ts';
import { collect, parseDurationOption, parsePositiveInt } from '../options.ts';
import { OUTPUT_HELP } from '../outputs.ts';

const EXAMPLES = `
Examples:
  $ kaudit detect --bus nats://nats-0:4222,nats://nats-1:4222,nats://nats-2:4222 \\
      --store postgres://kaudit@pg/kaudit -r rules/ --listen 0.0.0.0:9766
  Any number of workers share the work; see docs/distributed.md.`;

interface DetectFlags {
  readonly bus?: string;
  readonly store?: string;
  readonly rules?: string[];
  readonly output?: string[];
  readonly listen: string;
  readonly cluster?: string;
  readonly ruleMatching: 'first' | 'all';
  readonly correlationTolerance?: number;
  readonly correlationMaxGroups?: number;
  readonly busAckWait?: number;
  readonly busPartitions?: number;
  readonly busReplicas?: number;
  readonly logLevel: string;
}

/** `kaudit detect`: a detection worker on the bus (the distributed deployment). */
export function registerDetectCommand(program: Command, io: CommandIo): void {
  program
    .command('detect')
    .description(
      'detection worker: pull batches from NATS JetStream, run the rules, store alerts in PostgreSQL',
    )
    .option('--bus <urls>', 'NATS servers: nats://HOST:PORT[,nats://HOST:PORT...] (required)')
    .option('--store <url>', 'the shared alert store: postgres://... (required)')
    .option(
      '-r, --rules <path>',
      'rules file or directory (repeatable; default: built-in rules)',
      collect,
    )
    .option('--output <spec>', OUTPUT_HELP, collect)
    .option('--listen <host:port>', 'where /healthz, /readyz and /metrics answer', '127.0.0.1:9766')
    .option('--cluster <name>', 'cluster name for events whose batch carries none')
    .addOption(
      new Option('--rule-matching <mode>', 'fire the first matching rule per event, or all')
        .choices(['first', 'all'])
        .default('first'),
    )
    .option(
      '--correlation-tolerance <duration>',
      'out-of-order tolerance (default 30s)',
      parseDurationOption,
    )
    .option('--correlation-max-groups <n>', 'groups per stateful rule', parsePositiveInt)
    .option(
      '--bus-ack-wait <duration>',
      'time a worker may hold a message before another gets it (default 30s)',
      parseDurationOption,
    )
    .option(
      '--bus-partitions <n>',
      'correlation partitions, when this worker creates the stream (default 8)',
      parsePositiveInt,
    )
    .option(
      '--bus-replicas <n>',
      'stream replicas, when this worker creates the stream',
      parsePositiveInt,
    )
    .option('--log-level <level>', 'log level', 'info')
    .addHelpText('after', EXAMPLES)
    .action(async (o: DetectFlags) => {
      io.setExitCode(await runDetect(o, io));
    });
}

async function runDetect(o: DetectFlags, io: CommandIo): Promise<number> {
  if (o.bus === undefined) throw new CliError('kaudit: detect: --bus is required', EXIT_USAGE);
  if (o.store === undefined || !/^postgres(ql)?:\/\//i.test(o.store)) {
    throw new CliError(
      'kaudit: detect: --store postgres://... is required (the shared alert store)',
      EXIT_USAGE,
    );
  }
  const [
    { busOptions, parseBusUrl },
    { startDetectWorker },
    { createServerLog },
    rulesMod,
    serveCmd,
    cfg,
  ] = await Promise.all([
    import('../../bus/bus-options.ts'),
    import('../../bus/detect/run-detect.ts'),
    import('../../server/log.ts'),
    import('../../server/rules-reload.ts'),
    import('./serve.ts'),
    import('../../server/config/serve-config.ts'),
  ]);
  let servers: string[];
  try {
    servers = parseBusUrl(o.bus);
  } catch (err) {
    throw new CliError(`kaudit: detect: ${(err as Error).message}`, EXIT_USAGE);
  }
  const listen = cfg.parseListen(o.listen);
  if (listen === undefined)
    throw new CliError(
      `kaudit: detect: --listen: expected HOST:PORT, got '${o.listen}'`,
      EXIT_USAGE,
    );
  const loaded = await rulesMod.loadServeRules(o.rules ?? [], undefined);
  if (!loaded.ok) {
    throw new CliError(
      `kaudit: detect: rules failed to load:\n${rulesMod.loadErrors(loaded).join('\n')}`,
      EXIT_USAGE,
    );
  }
  const log = createServerLog(o.logLevel);
  const outputs: Output[] = [];
  // JSON alerts with the default properties (the json-include-* settings are serve's).
  const open = serveCmd.createOutputOpener(log, outputs, {});
  for (const spec of o.output ?? []) open(spec);
  const worker = await startDetectWorker({
    bus: busOptions(servers, {
      ...(o.busAckWait !== undefined ? { ackWaitMs: o.busAckWait } : {}),
      ...(o.busPartitions !== undefined ? { partitions: o.busPartitions } : {}),
      ...(o.busReplicas !== undefined ? { replicas: o.busReplicas } : {}),
    }),
    store: o.store,
    rules: loaded.rules,
    detector: {
      ruleMatching: o.ruleMatching === 'all' ? 'all' : 'first',
      hostname: alertHostname(),
      fastpath: true,
      keepEvent: true,
      correlation: {
        durable: true,
        ...(o.correlationTolerance !== undefined ? { toleranceMs: o.correlationTolerance } : {}),
        ...(o.correlationMaxGroups !== undefined ? { maxGroups: o.correlationMaxGroups } : {}),
      },
    },
    outputs,
    maxEventSize: 262144,
    ...(o.cluster !== undefined ? { cluster: o.cluster } : {}),
    listen,
    log,
  }).catch((err: Error) => {
    // The bus or the store unreachable at start (after retrying for a minute), the port
    // taken: one line, not a stack.
    throw new CliError(`kaudit: detect: ${err.message}`, EXIT_FAIL);
  });
  io.stderr.write(
    `kaudit detect ready; health and metrics on ${worker.address.host}:${worker.address.port}\n`,
  );
  await new Promise<void>((resolve) => {
    const onStop = (): void => {
      void worker.stop().then(resolve);
    };
    process.once('SIGTERM', onStop);
    process.once('SIGINT', onStop);
  });
  log.flush();
  return EXIT_OK;
}
