import type { OutputHooks } from './output.ts';

/** Messages per output and window before the rest are only counted. */
const BUDGET = 10;
const WINDOW_MS = 30_000;
/** Longest message passed on; a program's stderr line can be anything. */
const MAX_CHARS = 500;

/** Passes a message on, within the output's budget. */
export type MessageReporter = (message: string) => void;

/**
 * Makes the text safe for one log line: control characters (a newline could forge a
 * second line) are escaped and the length is bounded.
 */
export function sanitizeMessage(text: string): string {
  const cut = text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}...` : text;
  return cut.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => {
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/**
 * Reports an output's messages through `hooks.onMessage`, bounded: a message equal to
 * the previous one is only counted, and at most 10 go out per 30 s, so a dead receiver
 * or a chatty program cannot flood stderr or the log. What was held back is reported
 * as a count with the next message that goes out.
 *
 * @example
 * const report = createMessageReporter('http:https://sidekick:2801/', hooks);
 * report('POST failed: connect ECONNREFUSED 127.0.0.1:2801');
 */
export function createMessageReporter(
  name: string,
  hooks: OutputHooks | undefined,
  now: () => number = Date.now,
): MessageReporter {
  const sink = hooks?.onMessage;
  if (sink === undefined) return () => {};
  let windowStart = Number.NEGATIVE_INFINITY;
  let sent = 0;
  let held = 0;
  let last = '';
  return (message) => {
    const text = sanitizeMessage(message);
    const t = now();
    if (t - windowStart >= WINDOW_MS) {
      windowStart = t;
      sent = 0;
      last = '';
    }
    if (text === last || sent >= BUDGET) {
      held++;
      return;
    }
    last = text;
    sent++;
    const note = held > 0 ? ` (${held} similar messages held back)` : '';
    held = 0;
    sink(name, `${text}${note}`);
  };
}
