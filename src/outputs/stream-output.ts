import type { Alert } from '../engine/index.ts';
import { type AlertFilterSpec, compileAlertFilter } from './alert-filter.ts';
import { type AlertFormatOptions, createAlertFormatter } from './alert-format.ts';
import { createLineWriter } from './line-writer.ts';
import { createOutputStats, type Output, type RenderChannel } from './output.ts';

/** Options of a stream output: the format, the selection, and a name for messages. */
export interface StreamOutputOptions {
  readonly format: AlertFormatOptions;
  readonly filter?: AlertFilterSpec;
  readonly name?: string;
}

/**
 * Alerts as lines on a stream (stdout, or a file stream): buffered, flushed per batch of
 * events. A reader that leaves (`| head`) closes the output; a write error makes `flush`
 * reject with an OutputWriteError.
 *
 * @example
 * const out = createStreamOutput(process.stdout, { format: { format: 'text', isoTime: true } });
 */
export function createStreamOutput(
  stream: NodeJS.WritableStream,
  opts: StreamOutputOptions,
): Output {
  const format = createAlertFormatter(opts.format);
  const accept = opts.filter === undefined ? undefined : compileAlertFilter(opts.filter);
  const out = createLineWriter(stream);
  const stats = createOutputStats();
  const channel: RenderChannel = {
    format: opts.format,
    ...(opts.filter !== undefined ? { filter: opts.filter } : {}),
  };
  return {
    name: opts.name ?? 'stdout',
    stats,
    channel,
    get closed() {
      return out.closed;
    },
    write(alert: Alert) {
      if (accept !== undefined && !accept(alert)) return;
      if (out.closed) {
        stats.dropped++;
        return;
      }
      out.line(format(alert));
      stats.delivered++;
    },
    writeRendered(text, count) {
      if (out.closed) {
        stats.dropped += count;
        return;
      }
      out.text(text);
      stats.delivered += count;
    },
    flush: () => out.flush(),
    close: () => out.flush(),
  };
}
