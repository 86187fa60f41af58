import { Command, CommanderError } from 'commander';
import type { CommandIo } from './command-io.ts';
import { registerDetectCommand } from './commands/detect.ts';
import { registerPolicyCommand } from './commands/policy.ts';
import { registerQueryCommand } from './commands/query.ts';
import { registerRulesCommand } from './commands/rules.ts';
import { registerScanCommand } from './commands/scan.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerTimelineCommand } from './commands/timeline.ts';
import { CliError, EXIT_FAIL, EXIT_OK, EXIT_USAGE } from './errors.ts';
import { guardOutput } from './output-guard.ts';

const VERSION = '0.1.0';

/** Builds the `kaudit` program; `io` lets tests run it in-process. */
export function createProgram(io: CommandIo): Command {
  const program = new Command('kaudit')
    .description(
      'Kubernetes audit-log security: Falco-compatible detection, search and audit Policy tooling',
    )
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  program.addHelpText(
    'after',
    `
Examples:
  $ kaudit scan examples/audit.log
  $ kaudit query 'ka.verb=delete and ka.target.resource=namespaces' examples/audit.log
  $ kaudit rules validate k8s_audit_rules.yaml
  $ kaudit policy lint audit-policy.yaml`,
  );
  registerScanCommand(program, io);
  registerQueryCommand(program, io);
  registerTimelineCommand(program, io);
  registerRulesCommand(program, io);
  registerPolicyCommand(program, io);
  registerServeCommand(program, io);
  registerDetectCommand(program, io);
  for (const c of program.commands) c.exitOverride();
  return program;
}

/** Runs the CLI; resolves to the exit code (0 ok, 1 alerts/load errors, 2 usage). */
export async function main(
  argv: readonly string[],
  ioOverrides: Partial<Omit<CommandIo, 'setExitCode' | 'argv'>> = {},
): Promise<number> {
  let exitCode = EXIT_OK;
  const io: CommandIo = {
    stdout: ioOverrides.stdout ?? process.stdout,
    stderr: ioOverrides.stderr ?? process.stderr,
    stdin: ioOverrides.stdin ?? process.stdin,
    argv,
    setExitCode: (c) => {
      exitCode = c;
    },
  };
  const program = createProgram(io);
  const stdout = guardOutput(io.stdout);
  const stderr = guardOutput(io.stderr);
  try {
    const said: string[] = [];
    const code = await runProgram(program, argv, io, () => exitCode, said);
    // A write that failed (a full disk) ends the run with one line, whatever wrote it.
    await stdout.settle();
    const failed = stdout.error;
    if (failed === undefined) return code;
    if (!said.some((m) => m.includes(failed.message)))
      io.stderr.write(`kaudit: ${failed.message}\n`);
    return EXIT_FAIL;
  } finally {
    stdout.dispose();
    stderr.dispose();
  }
}

/** Runs the parsed command; maps what it throws to one line on stderr and an exit code. */
async function runProgram(
  program: Command,
  argv: readonly string[],
  io: CommandIo,
  exitCode: () => number,
  said: string[],
): Promise<number> {
  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (err instanceof CliError) {
      said.push(err.message);
      io.stderr.write(`${err.message.startsWith('kaudit:') ? '' : 'kaudit: '}${err.message}\n`);
      return err.exitCode;
    }
    const e = err as Error;
    io.stderr.write(`kaudit: internal error: ${e.stack ?? e.message}\n`);
    return EXIT_FAIL;
  }
  return exitCode();
}
