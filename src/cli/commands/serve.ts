import { createWriteStream } from 'node:fs';
import { type Command, Option } from 'commander';
import { createStreamOutput, type Output } from '../../outputs/index.ts';
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
import { createServerLog } from '../../server/log.ts';
import { startServer } from '../../server/serve.ts';
import type { CommandIo } from '../command-io.ts';
import { CliError, EXIT_OK, EXIT_USAGE } from '../errors.ts';
import { alertHostname } from '../hostname.ts';

const EXAMPLES = `
Examples:
  $ kaudit serve                                   # 127.0.0.1:9765, ./kaudit-data, built-in rules
  $ kaudit serve --config /etc/kaudit/kaudit.yaml
  $ kaudit serve --listen 0.0.0.0:9765 --tls-cert tls.crt --tls-key tls.key \\
      --token-file /etc/kaudit/token --output file:/var/log/kaudit/alerts.json
  Every setting can also come from the config file (key) or a KAUDIT_* variable;
  flags win over variables, variables over the file. See examples/kaudit.yaml.`;

/** A stand-in until richer outputs are configured: stdout (text or json) and files. */
function openOutput(spec: string): Output {
  if (spec === 'stdout' || spec === 'stdout:text' || spec === 'stdout:json') {
    const format = spec === 'stdout:json' ? 'json' : 'text';
    return createStreamOutput(process.stdout, { format: { format }, name: spec });
  }
  if (spec.startsWith('file:') && spec.length > 5) {
    const stream = createWriteStream(spec.slice(5), { flags: 'a', mode: 0o640 });
    return createStreamOutput(stream, { format: { format: 'json' }, name: spec });
  }
  throw new ConfigError('CONFIG_VALUE', `unknown output '${spec}'`);
}

/** `kaudit serve`: the live audit webhook. */
export function registerServeCommand(program: Command, io: CommandIo): void {
  const cmd = program
    .command('serve')
    .description("receive audit events from kube-apiserver's webhook backend and detect live")
    .option('-c, --config <file>', 'YAML config file (see examples/kaudit.yaml)');
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
    config = resolveServeConfig(mergeSettings(file, readEnvSettings(process.env), flagSettings(o)));
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(`kaudit: ${err.message}`, EXIT_USAGE);
    throw err;
  }
  const log = createServerLog(config.logLevel);
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(config, { log, hostname: alertHostname(), openOutput });
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(`kaudit: ${err.message}`, EXIT_USAGE);
    throw err;
  }
  io.stderr.write(`kaudit serve listening on ${server.address.host}:${server.address.port}\n`);
  await new Promise<void>((resolve) => {
    const onHup = (): void => void server.reload('SIGHUP');
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
