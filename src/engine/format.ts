import type { Alert, AlertFieldValue } from './alert.ts';
import { formatIsoTimeNs, formatLineTimeNs } from './time-format.ts';

/** Options mirroring falco.yaml's json_include_* and time_format_iso_8601. */
export interface FormatOptions {
  readonly isoTime?: boolean;
  readonly includeOutput?: boolean;
  readonly includeOutputFields?: boolean;
  readonly includeTags?: boolean;
  readonly includeMessage?: boolean;
}

/** Falco's text line: `<time>: <Priority> <message>`. */
export function formatAlertText(a: Alert, opts: FormatOptions = {}): string {
  return `${formatLineTimeNs(a.timeNs, opts.isoTime)}: ${a.priority} ${a.message}`;
}

function fieldJson(v: AlertFieldValue): string {
  return v === null ? 'null' : JSON.stringify(v);
}

/**
 * Falco's JSON alert, keys in Falco's (alphabetical) order, so falcosidekick reads it
 * unchanged. Built as text because `evt.time` in output_fields is a nanosecond integer
 * that a double cannot hold.
 */
export function formatAlertJson(a: Alert, opts: FormatOptions = {}): string {
  const parts: string[] = [`"hostname":${JSON.stringify(a.hostname)}`];
  if (opts.includeMessage) parts.push(`"message":${JSON.stringify(a.message)}`);
  if (opts.includeOutput !== false) {
    parts.push(`"output":${JSON.stringify(formatAlertText(a, opts))}`);
  }
  if (opts.includeOutputFields !== false) {
    const timeKey = opts.isoTime ? 'evt.time.iso8601' : 'evt.time';
    const entries: [string, string][] = [[timeKey, /^-?\d+$/.test(a.timeNs) ? a.timeNs : '0']];
    for (const [k, v] of Object.entries(a.outputFields)) {
      if (k !== timeKey) entries.push([k, fieldJson(v)]);
    }
    entries.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    const body = entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',');
    parts.push(`"output_fields":{${body}}`);
  }
  parts.push(`"priority":${JSON.stringify(a.priority)}`);
  parts.push(`"rule":${JSON.stringify(a.rule)}`);
  parts.push(`"source":${JSON.stringify(a.source)}`);
  if (opts.includeTags !== false) parts.push(`"tags":${JSON.stringify(a.tags)}`);
  parts.push(`"time":${JSON.stringify(formatIsoTimeNs(a.timeNs))}`);
  return `{${parts.join(',')}}`;
}
