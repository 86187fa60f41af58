import type { Alert } from '../engine/index.ts';
import { type AlertFilterSpec, compileAlertFilter } from './alert-filter.ts';
import { type AlertFormatOptions, createAlertFormatter } from './alert-format.ts';
import type { DeliveryQueue } from './delivery-queue.ts';
import type { OutputStats, RenderChannel } from './output.ts';

/** The write side of a queued output. */
export interface QueuedWrites {
  write(alert: Alert): void;
  writeRendered(text: string, count: number): void;
  /** What a parallel scan needs to render these lines in its threads. */
  readonly channel: RenderChannel;
}

/**
 * `write` and `writeRendered` as the file, http and program outputs share them: the
 * selection, the rendering (one line, or one request body without a newline), and
 * drops counted once the output is closed.
 */
export function createQueuedWrites(opts: {
  readonly format: AlertFormatOptions;
  readonly filter?: AlertFilterSpec | undefined;
  readonly queue: DeliveryQueue<string>;
  readonly stats: OutputStats;
  readonly isClosed: () => boolean;
  /** Lines end in '\n' (file, program); an http body does not. */
  readonly newline: boolean;
}): QueuedWrites {
  const render = createAlertFormatter(opts.format);
  const accept = opts.filter === undefined ? undefined : compileAlertFilter(opts.filter);
  const { queue, stats, isClosed } = opts;
  const end = opts.newline ? '\n' : '';
  return {
    channel: {
      format: opts.format,
      ...(opts.filter !== undefined ? { filter: opts.filter } : {}),
    },
    write(alert) {
      if (accept !== undefined && !accept(alert)) return;
      if (isClosed()) {
        stats.dropped++;
        return;
      }
      const text = `${render(alert)}${end}`;
      queue.push(text, 1, text.length);
    },
    writeRendered(text, count) {
      if (isClosed()) {
        stats.dropped += count;
        return;
      }
      queue.push(text, count, text.length);
    },
  };
}
