import { Buffer } from 'node:buffer';
import { dropBodies } from './bodies.ts';
import type { InputFormat, InputFormatChoice } from './formats.ts';
import { convertGkeLogEntry, isGkeLogEntry } from './gke.ts';
import { normalizeAdmissionNulls, normalizeEventNulls } from './nulls.ts';
import { escapeForMessage, parseJsonText } from './parse-json.ts';
import type { AuditRecord, EventSource } from './record.ts';
import {
  createDecodeStats,
  createRejectFn,
  type DecodeStats,
  type RejectFn,
  type RejectInfo,
} from './reject.ts';
import { parseTimestampNs } from './timestamp.ts';
import { checkAdmissionReview, checkAuditEvent, isObject } from './validate.ts';

/** Limits and reporting for a decoder. */
export interface DecoderOptions {
  /** Largest accepted event in bytes (compact JSON), default 262144 as Falco's k8saudit. */
  readonly maxEventSize?: number;
  /** Deepest accepted JSON nesting, default 1000 (DEFAULT_MAX_DEPTH). */
  readonly maxDepth?: number;
  /** Counters to fill; a fresh set by default. */
  readonly stats?: DecodeStats;
  /** Called for the FIRST reject of each reason per origin (log once); all are counted. */
  readonly onReject?: (info: RejectInfo) => void;
  /** The cluster these inputs come from, set on every record (`ka.cluster.name`'s fallback). */
  readonly cluster?: string;
  /**
   * What to do with an event over `maxEventSize`: `trim` (default) judges it without its
   * bodies (requestObject/responseObject) when the rest fits, marking its record
   * `bodiesDropped`; `drop` rejects it whole as Falco does (`event_too_large`).
   */
  readonly oversize?: 'trim' | 'drop';
  /**
   * Only this input format is decoded (`--input-format`); records of another shape are
   * rejected as `wrong_format`. Default `auto`: every shape is recognised.
   */
  readonly format?: InputFormatChoice;
}

/** Turns audit log lines or webhook payloads into records; never throws. */
export interface Decoder {
  /**
   * Decodes one line of a log (blank lines give no record and no reject). `cluster`
   * labels this line's records instead of the decoder's own (a webhook batch's sender).
   */
  decodeLine(text: string, origin: string, line: number, cluster?: string): AuditRecord[];
  /** Decodes an already-parsed JSON value (webhook bodies); `byteLength` is its size. */
  decodeValue(value: unknown, origin: string, line: number, byteLength: number): AuditRecord[];
  /**
   * Decodes one unit of a line too long to hold (see the sources' LongLineReader): an
   * `event` (an EventList item, whatever its `kind`) or a `payload` (decoded as a line
   * is). `bodiesDropped`: the reader already left its bodies out. Counts no line.
   */
  decodeItem(
    text: string,
    kind: 'event' | 'payload',
    origin: string,
    line: number,
    bodiesDropped: boolean,
    cluster?: string,
  ): AuditRecord[];
  /** Numbers the next event 1 again (evt.num): a parallel scan counts per chunk. */
  restartNumbering(): void;
  readonly stats: DecodeStats;
  /** The decoder's reject counter, for the source that feeds it (line-level rejects). */
  readonly reject: RejectFn;
}

export const DEFAULT_MAX_EVENT_SIZE = 262144;
/**
 * Deepest JSON nesting accepted. The apiserver's decoder allows 10000 (Go's
 * encoding/json, which sigs.k8s.io/json forks), and real objects go far past the 64 we
 * used to allow (a CRD's openAPIV3Schema nests two levels per schema level, and its
 * managedFields mirror them). V8's JSON.parse does not recurse, but what handles an
 * event afterwards does: structured cloning (alerts sent between threads) overflowed the
 * main thread's stack at 1,921 levels and JSON.stringify at 4,103 (Node.js 20). 1000
 * keeps both within half of that.
 */
export const DEFAULT_MAX_DEPTH = 1000;
// Envelopes may wrap envelopes (e.g. an OVH GELF message inside a `message` string);
// past this many levels the payload is not recognised.
const MAX_ENVELOPE_NESTING = 4;
const TRUNCATED_SUFFIX = '[Truncated...]';

interface Candidate {
  readonly obj: unknown;
  readonly source: EventSource;
}

/** The format of plain events found inside `fmt`'s wrapper (or at the top, undefined). */
function formatOf(source: EventSource, fmt: InputFormat | undefined): InputFormat {
  return fmt ?? (source === 'k8s_audit' ? 'jsonl' : 'kube-audit-rest');
}

/** A top-level array of export entries (gcloud's JSON output), not of audit events. */
function isEnvelopeArray(v: unknown[]): boolean {
  const first = v[0];
  return isObject(first) && typeof first.kind !== 'string';
}

/** Falco's payload shapes: Event, EventList items, AdmissionReview, arrays of those. */
function collectEvents(v: unknown, out: Candidate[]): boolean {
  if (Array.isArray(v)) {
    for (const x of v) if (!collectEvents(x, out)) return false;
    return true;
  }
  if (!isObject(v)) return false;
  const kind = v.kind;
  if (kind === 'Event') {
    out.push({ obj: v, source: 'k8s_audit' });
    return true;
  }
  if (kind === 'EventList') {
    if (!Array.isArray(v.items)) return false;
    for (const item of v.items) out.push({ obj: item, source: 'k8s_audit' });
    return true;
  }
  if (kind === 'AdmissionReview' && isObject(v.request)) {
    out.push({ obj: v, source: 'k8s_admission' });
    return true;
  }
  return false;
}

/**
 * Creates a decoder; its `num` counter (evt.num) runs over its whole lifetime.
 *
 * @example
 * const decoder = createDecoder({ maxEventSize: 256 * 1024, onReject: (r) => console.error(r.message) });
 * const records = decoder.decodeLine(line, 'audit.log', 42);
 */
export function createDecoder(opts: DecoderOptions = {}): Decoder {
  const stats = opts.stats ?? createDecodeStats();
  const maxSize = opts.maxEventSize ?? DEFAULT_MAX_EVENT_SIZE;
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  const reject: RejectFn = createRejectFn(stats, opts.onReject);
  const forced = opts.format === undefined || opts.format === 'auto' ? undefined : opts.format;
  let cluster = opts.cluster;
  const trim = opts.oversize !== 'drop';
  let num = 0;
  // Set while decoding a unit whose bodies the reader already dropped.
  let unitDropped = false;

  /** Byte size of a text, exact only when it might exceed the limit. */
  const textSize = (text: string): number =>
    text.length * 3 <= maxSize ? text.length : Buffer.byteLength(text);

  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: the per-event checks in one pass, in the order Falco's plugin applies them
  function emit(
    cands: readonly Candidate[],
    whole: unknown,
    size: number,
    origin: string,
    line: number,
    out: AuditRecord[],
    fmt: InputFormat | undefined,
    text?: string,
  ): void {
    for (const c of cands) {
      const obj = c.obj;
      const format = formatOf(c.source, fmt);
      if (forced !== undefined && format !== forced) {
        rejectFormat(format, origin, line);
        continue;
      }
      if (!isObject(obj)) {
        reject('wrong_type', origin, line, 'event must be a JSON object');
        continue;
      }
      const audit = c.source === 'k8s_audit';
      let problem = audit ? checkAuditEvent(obj) : checkAdmissionReview(obj);
      // `null` where the apiserver's decoder reads "absent": read it so, and check again.
      if (
        problem !== undefined &&
        (audit ? normalizeEventNulls(obj) : normalizeAdmissionNulls(obj))
      ) {
        problem = audit ? checkAuditEvent(obj) : checkAdmissionReview(obj);
      }
      if (problem !== undefined) {
        reject(problem.reason, origin, line, problem.message);
        continue;
      }
      const ts = (audit ? obj.stageTimestamp : obj.requestReceivedTimestamp) as string;
      const timeNs = parseTimestampNs(ts);
      if (timeNs === undefined) {
        const key = audit ? 'stageTimestamp' : 'requestReceivedTimestamp';
        reject('bad_timestamp', origin, line, `${key} is not an RFC 3339 timestamp`);
        continue;
      }
      let dropped = unitDropped;
      if (size > maxSize) {
        // The payload is too big as a whole; an event inside it may still fit.
        const own = obj === whole ? size : Buffer.byteLength(JSON.stringify(obj));
        if (own > maxSize) {
          const rest = trim && dropBodies(obj, c.source) ? sizeOf(obj) : own;
          if (rest > maxSize) {
            reject('event_too_large', origin, line, `event of ${own} bytes exceeds ${maxSize}`);
            continue;
          }
          dropped = true;
        }
      }
      if (dropped) {
        reject('bodies_dropped', origin, line, `event over ${maxSize} bytes judged without bodies`);
      }
      // Every record has the same properties, set in the same order (one object shape).
      // The event's own text when the payload was this one event (a line, a message),
      // unless its bodies were dropped here: then the text is no longer the event.
      const raw = obj === whole && dropped === unitDropped ? text : undefined;
      stats.formats[format]++;
      out.push({
        obj,
        source: c.source,
        timeNs,
        num: ++num,
        origin,
        line,
        cluster,
        format,
        text: raw,
        bodiesDropped: dropped,
      });
    }
  }

  function rejectFormat(found: InputFormat, origin: string, line: number): void {
    reject(
      'wrong_format',
      origin,
      line,
      `${found} input, not ${forced} (--input-format ${forced}; auto reads both)`,
    );
  }

  /** AKS diagnostic settings: each record's properties.log holds one event as text. */
  function decodeAksRecords(
    records: unknown[],
    origin: string,
    line: number,
    nest: number,
    out: AuditRecord[],
  ): void {
    for (const r of records) {
      const log = isObject(r) && isObject(r.properties) ? r.properties.log : undefined;
      if (typeof log === 'string') decodeText(log, origin, line, nest + 1, out, 'aks');
      else reject('not_audit_event', origin, line, 'AKS record without properties.log text');
    }
  }

  /**
   * CloudWatch Logs (EKS): a subscription payload's `logEvents`, or the `events` that
   * `aws logs filter-log-events` and `get-log-events` print; each message is an event.
   */
  function decodeLogEvents(
    events: unknown[],
    origin: string,
    line: number,
    nest: number,
    out: AuditRecord[],
  ): void {
    for (const e of events) {
      const msg = isObject(e) ? e.message : undefined;
      if (typeof msg === 'string') decodeMessage(msg, origin, line, nest, out);
      else reject('not_audit_event', origin, line, 'CloudWatch log event without message');
    }
  }

  function decodeGkeEntry(
    v: Record<string, unknown>,
    origin: string,
    line: number,
    out: AuditRecord[],
  ): void {
    const conv = convertGkeLogEntry(v);
    if ('problem' in conv) {
      reject(conv.problem.reason, origin, line, conv.problem.message);
      return;
    }
    const event = conv.event;
    const size = Buffer.byteLength(JSON.stringify(event));
    emit([{ obj: event, source: 'k8s_audit' }], event, size, origin, line, out, 'gke');
  }

  /** A cloud export's wrapper around one or more events (EKS, AKS, GKE, GELF). */
  function decodeEnvelope(
    v: Record<string, unknown>,
    origin: string,
    line: number,
    nest: number,
    out: AuditRecord[],
  ): void {
    const kind = envelopeKind(v);
    if (kind === undefined) {
      reject('not_audit_event', origin, line, describeUnknown(v));
      return;
    }
    // A bare `message` may wrap another envelope (OVH): its inner shape decides.
    if (forced !== undefined && kind !== 'message' && ENVELOPE_FORMAT[kind] !== forced) {
      rejectFormat(ENVELOPE_FORMAT[kind], origin, line);
      return;
    }
    switch (kind) {
      case 'records':
        decodeAksRecords(v.records as unknown[], origin, line, nest, out);
        break;
      case 'logEvents':
      case 'events':
        decodeLogEvents(v[kind] as unknown[], origin, line, nest, out);
        break;
      case 'message':
        decodeMessage(v.message as string, origin, line, nest, out);
        break;
      case 'short_message': {
        // OVH Logs Data Platform GELF: "<appID>> <event JSON>".
        const text = v.short_message as string;
        const at = text.indexOf('> ');
        decodeText(at === -1 ? text : text.slice(at + 2), origin, line, nest + 1, out, 'ovh');
        break;
      }
      case 'protoPayload':
        decodeGkeEntry(v, origin, line, out);
        break;
    }
  }

  function decodeMessage(
    msg: string,
    origin: string,
    line: number,
    nest: number,
    out: AuditRecord[],
  ): void {
    if (msg.endsWith(TRUNCATED_SUFFIX)) {
      reject('event_too_large', origin, line, 'CloudWatch truncated the event');
      return;
    }
    decodeText(msg, origin, line, nest + 1, out, 'eks');
  }

  function decodePayload(
    value: unknown,
    size: number,
    origin: string,
    line: number,
    nest: number,
    out: AuditRecord[],
    fmt: InputFormat | undefined,
    text?: string,
  ): void {
    const cands: Candidate[] = [];
    if (collectEvents(value, cands)) {
      emit(cands, value, size, origin, line, out, fmt, text);
    } else if (isObject(value) && typeof value.kind !== 'string' && nest < MAX_ENVELOPE_NESTING) {
      decodeEnvelope(value, origin, line, nest, out);
    } else if (Array.isArray(value) && isEnvelopeArray(value) && nest < MAX_ENVELOPE_NESTING) {
      // gcloud and jq print export entries as one array: each entry is its own payload.
      for (const entry of value) {
        if (isObject(entry)) decodeEnvelope(entry, origin, line, nest + 1, out);
        else reject('not_audit_event', origin, line, describeUnknown(entry));
      }
    } else {
      // A partly bad top-level array is dropped whole, as Falco does.
      reject('not_audit_event', origin, line, describeUnknown(value));
    }
  }

  function decodeText(
    text: string,
    origin: string,
    line: number,
    nest: number,
    out: AuditRecord[],
    fmt?: InputFormat,
  ): void {
    const parsed = parseJsonText(text, maxDepth);
    if (!parsed.ok) {
      // A column inside an embedded string would not point into the line.
      const column = nest === 0 ? parsed.column : undefined;
      const where = nest === 0 ? '' : 'embedded event: ';
      reject(parsed.reason, origin, line, where + parsed.message, column);
      return;
    }
    decodePayload(parsed.value, textSize(text), origin, line, nest, out, fmt, text);
  }

  /** An EventList item read on its own: an audit event whatever its `kind`. */
  function decodeListItem(text: string, origin: string, line: number, out: AuditRecord[]): void {
    const parsed = parseJsonText(text, maxDepth);
    if (!parsed.ok) {
      reject(parsed.reason, origin, line, `EventList item: ${parsed.message}`);
      return;
    }
    const obj = parsed.value;
    emit([{ obj, source: 'k8s_audit' }], obj, textSize(text), origin, line, out, undefined);
  }

  function guard(origin: string, line: number, run: (out: AuditRecord[]) => void): AuditRecord[] {
    const out: AuditRecord[] = [];
    try {
      run(out);
    } catch (err) {
      // Last line of defence (e.g. a stack overflow on a pathological value): the hot
      // path must not throw. Records already built are kept.
      const reason = err instanceof RangeError ? 'too_deep' : 'not_audit_event';
      reject(reason, origin, line, escapeForMessage(String((err as Error).message)));
    }
    stats.events += out.length;
    return out;
  }

  return {
    stats,
    reject,
    decodeLine(text, origin, line, lineCluster) {
      // Bytes are counted by whoever reads the lines (the raw size of each batch).
      stats.lines++;
      if (text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === '')) return [];
      cluster = lineCluster ?? opts.cluster;
      return guard(origin, line, (out) => decodeText(text, origin, line, 0, out));
    },
    decodeValue(value, origin, line, byteLength) {
      stats.bytes += byteLength;
      return guard(origin, line, (out) =>
        decodePayload(value, byteLength, origin, line, 0, out, undefined),
      );
    },
    decodeItem(text, kind, origin, line, bodiesDropped, lineCluster) {
      cluster = lineCluster ?? opts.cluster;
      unitDropped = bodiesDropped;
      try {
        return guard(origin, line, (out) => {
          if (kind === 'payload') decodeText(text, origin, line, 0, out);
          else decodeListItem(text, origin, line, out);
        });
      } finally {
        unitDropped = false;
      }
    },
    restartNumbering() {
      num = 0;
    },
  };
}

function sizeOf(v: unknown): number {
  return Buffer.byteLength(JSON.stringify(v));
}

/** The wrappers of the cloud exports, by the key that gives each away. */
type EnvelopeKind =
  | 'records'
  | 'logEvents'
  | 'events'
  | 'message'
  | 'short_message'
  | 'protoPayload';

const ENVELOPE_FORMAT: Readonly<Record<EnvelopeKind, InputFormat>> = {
  records: 'aks',
  logEvents: 'eks',
  events: 'eks',
  message: 'eks',
  short_message: 'ovh',
  protoPayload: 'gke',
};

function envelopeKind(v: Record<string, unknown>): EnvelopeKind | undefined {
  if (Array.isArray(v.records)) return 'records';
  if (Array.isArray(v.logEvents)) return 'logEvents';
  if (Array.isArray(v.events)) return 'events';
  if (typeof v.message === 'string') return 'message';
  if (typeof v.short_message === 'string') return 'short_message';
  if (isGkeLogEntry(v)) return 'protoPayload';
  return undefined;
}

function describeUnknown(v: unknown): string {
  if (Array.isArray(v)) return 'array holds something other than audit events';
  if (!isObject(v)) return `JSON ${v === null ? 'null' : typeof v} is not an audit event`;
  if (typeof v.kind === 'string') return 'data not recognized as a k8s audit event (kind)';
  return 'data not recognized as a k8s audit event';
}
