import { type Command, Option } from 'commander';
import {
  createOutput,
  type JsonIncludeOptions,
  type Output,
  OutputConfigError,
  parseOutputSpec,
} from '../../outputs/index.ts';
import {
  ConfigError,
  mergeSettings,
  type RawValue,
  readConfigFile,
  readEnvSettings,
  type ValueOrigin,
} from '../../server/config/load-config.ts';
import { resolveServeConfig } from '../../server/config/serve-config.ts';
import { SETTINGS } from '../../server/config/settings.ts';
import type { createServerLog } from '../../server/log.ts';
import type { CommandIo } from '../command-io.ts';
import { CliError, EXIT_OK, EXIT_USAGE } from '../errors.ts';
import { alertHostname } from '../hostname.ts';
import { collect } from '../options.ts';
import { overrideSettings } from '../serve-overrides.ts';

const EXAMPLES = `
Examples:
  $ kaudit serve                                   # 127.0.0.1:9765, ./kaudit-data, built-in rules
  $ kaudit serve --config /etc/kaudit/kaudit.yaml
  $ kaudit serve --listen 0.0.0.0:9765 --tls-cert tls.crt --tls-key tls.key \\
      --token-file /etc/kaudit/token --output file:/var/log/kaudit/alerts.json
  Every setting can also come from the config file (key) or a KAUDIT_* variable;
  flags win over variables, variables over the file. See examples/kaudit.yaml.`;

/**
 * The outputs of `--output` specs, as `kaudit scan` builds them (docs/outputs.md), with
 * their messages in the server log. Delivery moves an output's outbox cursor once its
 * flush resolves, so flushes are unbounded unless the spec sets `flush-timeout`: the
 * outbox, not the output's memory queue, keeps what a slow receiver has not taken.
 */
export function createOutputOpener(
  log: ReturnType<typeof createServerLog>,
  opened: Output[],
  jsonIncludes: JsonIncludeOptions,
): (spec: string) => Output {
  const hooks = {
    onMessage: (output: string, message: string) => log.warn({ output, message }, 'output'),
  };
  return (spec) => {
    try {
      const parsed = parseOutputSpec(spec);
      const options =
        parsed.options.flushTimeoutMs === undefined && parsed.type !== 'stdout'
          ? { ...parsed.options, flushTimeoutMs: Number.POSITIVE_INFINITY }
          : parsed.options;
      const output = createOutput(
        { ...parsed, options },
        { stdout: process.stdout, stdoutFormat: { format: 'text' }, jsonIncludes, hooks },
      );
      opened.push(output);
      return output;
    } catch (err) {
      if (err instanceof OutputConfigError) throw new ConfigError('CONFIG_VALUE', err.message);
      throw err;
    }
  };
}

/** `kaudit serve`: the live audit webhook. */
export function registerServeCommand(program: Command, io: CommandIo): void {
  const cmd = program
    .command('serve')
    .description("receive audit events from kube-apiserver's webhook backend and detect live")
    .option('-c, --config <file>', 'YAML config file (see examples/kaudit.yaml)')
    .option(
      '-o, --option <key=value>',
      "override a config file key, Falco's -o syntax (repeatable): -o minPriority=warning, -o outputs[]=file:/x, -o json_include_tags_property=false, -o http_output.url=URL; other flags win",
      collect,
    );
  for (const def of SETTINGS) {
    const flags = `${def.short ? `-${def.short}, ` : ''}--${def.flag}${def.type === 'boolean' ? '' : ` <${def.arg ?? 'VALUE'}>`}`;
    const opt = new Option(flags, def.description);
    if (def.type === 'list') opt.argParser((v: string, prev: string[] = []) => [...prev, v]);
    if (def.choices) opt.choices(def.choices as string[]);
    cmd.addOption(opt);
    if (def.type === 'boolean') cmd.addOption(new Option(`--no-${def.flag}`).hideHelp());
  }
  cmd.addHelpText('after', EXAMPLES).action(async (o: Record<string, unknown>) => {
    io.setExitCode(await runServe(o, io));
  });
}

function flagSettings(
  o: Record<string, unknown>,
): Map<string, { value: RawValue; origin: ValueOrigin }> {
  const out = new Map<string, { value: RawValue; origin: ValueOrigin }>();
  for (const def of SETTINGS) {
    const name = def.flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    const v = o[name];
    if (v === undefined) continue;
    out.set(def.key, { value: v as RawValue, origin: { kind: 'flag', where: `--${def.flag}` } });
  }
  return out;
}

async function runServe(o: Record<string, unknown>, io: CommandIo): Promise<number> {
  let config: ReturnType<typeof resolveServeConfig>;
  try {
    const file = typeof o.config === 'string' ? readConfigFile(o.config) : new Map();
    const env = readEnvSettings(process.env);
    const overrides = overrideSettings((o.option as string[] | undefined) ?? [], file, env);
    config = resolveServeConfig(mergeSettings(file, env, overrides, flagSettings(o)));
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(`kaudit: ${err.message}`, EXIT_USAGE);
    throw err;
  }
  // Loaded here, not at the top: the server's libraries (HTTP, SQLite, the UI, metrics) are
  // most of the bundle, and scan, query, rules and policy would pay for them at every start.
  const [{ createServerLog }, { startServer: startEmbedded }, { startBusServer }] =
    await Promise.all([
      import('../../server/log.ts'),
      import('../../server/serve.ts'),
      import('../../server/bus-serve.ts'),
    ]);
  // With a bus, this process only ingests: `kaudit detect` workers detect (bus-serve.ts).
  const startServer = config.bus === undefined ? startEmbedded : startBusServer;
  const log = createServerLog(config.logLevel);
  const outputs: Output[] = [];
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(config, {
      log,
      hostname: alertHostname(),
      openOutput: createOutputOpener(log, outputs, config.jsonIncludes),
    });
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(`kaudit: ${err.message}`, EXIT_USAGE);
    throw err;
  }
  io.stderr.write(`kaudit serve listening on ${server.address.host}:${server.address.port}\n`);
  if (server.uiUrl !== undefined) {
    // As Jupyter does: the token is shown once, in a URL that logs the browser in.
    const url =
      server.generatedToken === undefined
        ? server.uiUrl
        : `${server.uiUrl}?token=${encodeURIComponent(server.generatedToken)}`;
    io.stderr.write(`kaudit UI and API: ${url}\n`);
  }
  await new Promise<void>((resolve) => {
    // SIGHUP: new rules, and file outputs reopened (logrotate).
    const onHup = (): void => {
      void server.reload('SIGHUP');
      for (const o of outputs) void o.reopen?.();
    };
    const onStop = (): void => {
      process.off('SIGHUP', onHup);
      void server.stop().then(resolve);
    };
    process.on('SIGHUP', onHup);
    process.once('SIGTERM', onStop);
    process.once('SIGINT', onStop);
  });
  log.flush();
  return EXIT_OK;
}
