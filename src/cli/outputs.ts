import {
  type AlertFormatOptions,
  createOutput,
  type JsonIncludeOptions,
  type Output,
  OutputConfigError,
  parseOutputSpec,
} from '../outputs/index.ts';
import type { CommandIo } from './command-io.ts';
import { usageError } from './errors.ts';

/** The outputs of a run, and how to end them. */
export interface RunOutputs {
  readonly outputs: readonly Output[];
  /**
   * Stops listening for SIGHUP, closes every output (each flushes, within its bound)
   * and prints one line per output that dropped or failed alerts.
   */
  close(): Promise<void>;
}

/** commander help text for `--output`. */
export const OUTPUT_HELP =
  'where alerts go (repeatable): stdout, stdout:json, file:PATH, http:URL, program:COMMAND, ' +
  'options in brackets: http[min-priority=warning]:https://sidekick:2801/ (docs/outputs.md)';

function summaryLine(o: Output): string | undefined {
  const s = o.stats;
  if (s.failed === 0 && s.dropped === 0) return undefined;
  return `kaudit: output ${o.name}: ${s.delivered} delivered, ${s.failed} failed, ${s.dropped} dropped\n`;
}

/**
 * Builds the outputs of `--output` specs (default `stdout`, in `stdoutFormat`), reports
 * their messages on stderr, and reopens them on SIGHUP (logrotate). A bad spec is a
 * usage error (exit 2).
 */
export function openRunOutputs(
  specs: readonly string[] | undefined,
  stdoutFormat: AlertFormatOptions,
  io: CommandIo,
  jsonIncludes: JsonIncludeOptions = {},
): RunOutputs {
  const outputs: Output[] = [];
  const hooks = {
    onMessage: (name: string, message: string) => {
      io.stderr.write(`kaudit: output ${name}: ${message}\n`);
    },
  };
  try {
    for (const spec of specs ?? ['stdout']) {
      outputs.push(
        createOutput(parseOutputSpec(spec), {
          stdout: io.stdout,
          stdoutFormat,
          ...(stdoutFormat.isoTime !== undefined ? { isoTime: stdoutFormat.isoTime } : {}),
          jsonIncludes,
          hooks,
        }),
      );
    }
  } catch (err) {
    // Those already built hold processes or files: release them before leaving.
    for (const o of outputs) void o.close();
    if (err instanceof OutputConfigError) usageError(err.message);
    throw err;
  }
  const reopen = (): void => {
    for (const o of outputs) void o.reopen?.();
  };
  const listens = outputs.some((o) => o.reopen !== undefined);
  if (listens) process.on('SIGHUP', reopen);
  return {
    outputs,
    async close() {
      if (listens) process.removeListener('SIGHUP', reopen);
      // A reader of stdout that left (`| head`) dropped the rest on purpose: no report.
      const left = outputs.map((o) => o.closed);
      await Promise.all(outputs.map((o) => o.close().catch(() => {})));
      for (const [i, o] of outputs.entries()) {
        const line = left[i] === true ? undefined : summaryLine(o);
        if (line !== undefined) io.stderr.write(line);
      }
    },
  };
}
