import type { Alert } from '../engine/index.ts';
import { formatExplanationText } from './explain-text.ts';
import { type FormatOptions, formatAlertJson, formatAlertText } from './format.ts';

/** How an output renders alerts: Falco's text line or Falco's JSON object. */
export interface AlertFormatOptions extends FormatOptions {
  readonly format: 'text' | 'json';
}

/** An alert rendered as one line of text (no newline). */
export type AlertFormatter = (alert: Alert) => string;

/**
 * Compiles the options once into the function an output calls per alert.
 *
 * @example
 * const render = createAlertFormatter({ format: 'json', includeTags: false });
 * console.log(render(alert));
 */
export function createAlertFormatter(opts: AlertFormatOptions): AlertFormatter {
  const { format, ...fmt } = opts;
  if (format === 'json') return (a) => formatAlertJson(a, fmt);
  // `--explain`: the condition tree follows the text line, indented.
  return (a) =>
    a.explanation === undefined
      ? formatAlertText(a, fmt)
      : `${formatAlertText(a, fmt)}\n${formatExplanationText(a.explanation)}`;
}
