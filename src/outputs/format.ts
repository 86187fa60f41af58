import type { Alert, AlertFieldValue } from '../engine/index.ts';
import type { JsonFieldKind } from '../lang/index.ts';
import { escapeMessage } from './escape-text.ts';
import { formatIsoTimeNs, formatLineTimeNs } from './time-format.ts';

/** Options mirroring falco.yaml's json_include_* and time_format_iso_8601. */
export interface FormatOptions {
  readonly isoTime?: boolean;
  /**
   * Text alerts show event field values as they are, control characters included (as
   * Falco before 0.44 did). By default they are escaped (`\n`, `\u001b`), so that an
   * event cannot forge alert lines or drive a terminal. JSON alerts are never escaped
   * this way: JSON.stringify already makes them safe, and consumers get the true value.
   */
  readonly rawFields?: boolean;
  readonly includeOutput?: boolean;
  readonly includeOutputFields?: boolean;
  readonly includeTags?: boolean;
  readonly includeMessage?: boolean;
}

/**
 * Falco's text line: `<time>: <Priority> <message>`.
 *
 * @example
 * formatAlertText(alert); // '10:20:00.406766000: Warning Secret read by ...'
 */
export function formatAlertText(a: Alert, opts: FormatOptions = {}): string {
  return textLine(a, opts.rawFields === true ? a.message : escapeMessage(a), opts);
}

function textLine(a: Alert, message: string, opts: FormatOptions): string {
  return `${formatLineTimeNs(a.timeNs, opts.isoTime)}: ${a.priority} ${message}`;
}

function fieldJson(v: AlertFieldValue): string {
  return v === null ? 'null' : JSON.stringify(v);
}

const INTEGER = /^-?\d+$/;

/** A uint64 value as a JSON number (its digits as they are, so no precision is lost). */
function numberJson(v: string): string {
  return INTEGER.test(v) ? v.replace(/^(-?)0+(?=\d)/, '$1') : JSON.stringify(v);
}

/**
 * An output field's value as libsinsp's tojson writes it: numbers and booleans as such,
 * the text time fields as the event's time in nanoseconds, lists item by item.
 */
function typedFieldJson(v: AlertFieldValue, kind: JsonFieldKind, timeNs: string): string {
  if (v === null) return 'null';
  if (kind === 'time') return timeNs;
  if (typeof v !== 'string') {
    return `[${v.map((x) => typedFieldJson(x, kind, timeNs)).join(',')}]`;
  }
  if (kind === 'number') return numberJson(v);
  if (kind === 'bool' && (v === 'true' || v === 'false')) return v;
  return JSON.stringify(v);
}

/** Output field names in Falco's (sorted) order, and each one as JSON text. */
interface KeyOrder {
  readonly names: readonly string[];
  readonly quoted: readonly string[];
}

/** The sorted key order per key set: a rule's alerts all share one. */
const keyOrders = new Map<string, KeyOrder>();

function sortedKeys(fields: Readonly<Record<string, unknown>>, timeKey: string): KeyOrder {
  const names = Object.keys(fields);
  const id = `${timeKey}\u0000${names.join('\u0000')}`;
  let order = keyOrders.get(id);
  if (order === undefined) {
    const all = names.includes(timeKey) ? [...names] : [timeKey, ...names];
    all.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    order = { names: all, quoted: all.map((k) => JSON.stringify(k)) };
    // Bounded: key sets come from rule outputs, but a flood of distinct ones must not grow it.
    if (keyOrders.size < 1024) keyOrders.set(id, order);
  }
  return order;
}

/**
 * Falco's JSON alert, keys in Falco's (alphabetical) order, so falcosidekick reads it
 * unchanged. Built as text because `evt.time` in output_fields is a nanosecond integer
 * that a double cannot hold.
 *
 * @example
 * process.stdout.write(`${formatAlertJson(alert)}\n`); // one falcosidekick-ready line
 */
export function formatAlertJson(a: Alert, opts: FormatOptions = {}): string {
  const parts: string[] = [];
  // Only with `--explain`; keys stay in Falco's alphabetical order.
  if (a.explanation !== undefined) parts.push(`"explanation":${JSON.stringify(a.explanation)}`);
  // kaudit's own key, only on correlated alerts (Falco's readers ignore unknown keys).
  if (a.correlation !== undefined) parts.push(`"correlation":${JSON.stringify(a.correlation)}`);
  parts.push(`"hostname":${JSON.stringify(a.hostname)}`);
  if (opts.includeMessage) parts.push(`"message":${JSON.stringify(a.message)}`);
  if (opts.includeOutput !== false) {
    // Falco's `output` is the text line with the values as they are; stringify escapes.
    parts.push(`"output":${JSON.stringify(textLine(a, a.message, opts))}`);
  }
  if (opts.includeOutputFields !== false) {
    const timeKey = opts.isoTime ? 'evt.time.iso8601' : 'evt.time';
    const time = INTEGER.test(a.timeNs) ? a.timeNs : '0';
    const fields = a.outputFields;
    let body = '';
    // An indexed loop: for-of with destructuring made this function several times larger
    // to compile, and every scanning thread compiles it.
    const { names, quoted } = sortedKeys(fields, timeKey);
    const kinds = a.fieldKinds;
    for (let i = 0; i < names.length; i++) {
      const k = names[i] as string;
      const kind = k === timeKey ? 'time' : kinds?.[k];
      // A transformed field is left out, as Falco does (its bare field is there).
      if (kind === 'transformed') continue;
      if (body !== '') body += ',';
      const v = fields[k] as AlertFieldValue;
      body += `${quoted[i]}:${kind === undefined ? fieldJson(v) : typedFieldJson(v, kind, time)}`;
    }
    parts.push(`"output_fields":{${body}}`);
  }
  parts.push(`"priority":${JSON.stringify(a.priority)}`);
  parts.push(`"rule":${JSON.stringify(a.rule)}`);
  parts.push(`"source":${JSON.stringify(a.source)}`);
  if (opts.includeTags !== false) parts.push(`"tags":${JSON.stringify(a.tags)}`);
  parts.push(`"time":${JSON.stringify(formatIsoTimeNs(a.timeNs))}`);
  return `{${parts.join(',')}}`;
}
