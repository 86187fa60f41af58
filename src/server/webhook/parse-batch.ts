import {
  checkEventObject,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_EVENT_SIZE,
  type EventSource,
  type RejectReason,
} from '../../events/index.ts';
import { parseJsonText } from '../../events/parse-json.ts';
import { unwrapShipperRecord } from './shipper-records.ts';
import { splitArrayObjects } from './split-items.ts';

/** One element of a batch that was not kept, with its place in the batch. */
export interface ElementReject {
  readonly index: number;
  readonly reason: RejectReason;
  readonly message: string;
}

/** A parsed webhook body: the events to store, and the elements refused. */
export type ParsedBatch =
  | {
      readonly ok: true;
      /** Compact JSON text of each accepted event. */
      readonly events: string[];
      readonly rejects: ElementReject[];
      /**
       * Where each event lies in the parsed text ([start, end) per event), when every
       * element was kept exactly as sent: the spool can then copy the events' bytes out
       * of the request body instead of joining and re-encoding the strings.
       */
      readonly spans?: readonly number[];
    }
  | {
      readonly ok: false;
      readonly code: 'INVALID_JSON' | 'TOO_DEEP' | 'NOT_AUDIT_PAYLOAD' | 'EMPTY_BODY';
      readonly message: string;
      /** 1-based line and column of a JSON syntax error. */
      readonly line?: number;
      readonly column?: number;
    };

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return { line, column: offset - last };
}

/** Where the elements sit: a top-level array (1), an EventList's items (2), the body (0). */
type ElementDepth = 0 | 1 | 2;

/** The elements of a payload and the source they belong to, or undefined. */
function elementsOf(
  v: unknown,
): { items: unknown[]; source: EventSource; depth: ElementDepth } | undefined {
  if (Array.isArray(v)) return { items: v, source: 'k8s_audit', depth: 1 };
  if (v === null || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  if (o.kind === 'EventList') {
    if (o.items === null || o.items === undefined)
      return { items: [], source: 'k8s_audit', depth: 2 };
    return Array.isArray(o.items) ? { items: o.items, source: 'k8s_audit', depth: 2 } : undefined;
  }
  if (o.kind === 'Event') return { items: [v], source: 'k8s_audit', depth: 0 };
  return undefined;
}

/**
 * Each element's text as sent, when it can be cut out of the body with certainty (the
 * count of objects found equals the count of elements, all objects); else undefined.
 * Raw newlines can only be whitespace between tokens in JSON, so they become spaces:
 * the spool keeps one event per line.
 */
function elementTexts(
  text: string,
  items: readonly unknown[],
  depth: ElementDepth,
  spans: number[],
): string[] | undefined {
  const parts = depth === 0 ? [text.trim()] : splitArrayObjects(text, depth, spans);
  if (parts === undefined || parts.length !== items.length) return undefined;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as string;
    if (p.includes('\n') || p.includes('\r')) {
      parts[i] = p.replace(/[\r\n]/g, ' ');
      spans.length = 0; // no longer the bytes as sent
    }
  }
  return parts;
}

/** Keeps an element's event, or reports why not (the checks the decoder applies). */
function acceptElement(
  item: unknown,
  text: string | undefined,
  index: number,
  maxDepth: number,
  maxEventSize: number,
  out: { events: string[]; rejects: ElementReject[] },
): void {
  const el = unwrapShipperRecord(item, maxDepth);
  const problem = checkEventObject(el.value, 'k8s_audit');
  if (problem !== undefined) {
    out.rejects.push({ index, ...problem });
    return;
  }
  const event =
    oneLine(el.text ?? (el.value === item ? text : undefined)) ?? JSON.stringify(el.value);
  // The decoder refuses it too, but only after a 200 said it was kept: refuse it here,
  // by index, as any other bad element (a UTF-8 byte is at most 3 UTF-16 units).
  if (event.length * 3 > maxEventSize && Buffer.byteLength(event) > maxEventSize) {
    out.rejects.push({
      index,
      reason: 'event_too_large',
      message: `event of ${Buffer.byteLength(event)} bytes exceeds ${maxEventSize}`,
    });
  } else out.events.push(event);
}

/** Raw newlines can only be whitespace between JSON tokens: the spool keeps one per line. */
function oneLine(t: string | undefined): string | undefined {
  return t !== undefined && (t.includes('\n') || t.includes('\r')) ? t.replace(/[\r\n]/g, ' ') : t;
}

/** A body that is not JSON: TOO_DEEP, or INVALID_JSON with the error's line and column. */
export function describeJsonFailure(
  text: string,
  parsed: Extract<ReturnType<typeof parseJsonText>, { ok: false }>,
): { code: 'INVALID_JSON' | 'TOO_DEEP'; message: string; line?: number; column?: number } {
  if (parsed.reason === 'too_deep') return { code: 'TOO_DEEP', message: parsed.message };
  const at = lineColumn(text, (parsed.column?.() ?? 1) - 1);
  return {
    code: 'INVALID_JSON',
    message: `invalid JSON at line ${at.line}, column ${at.column}: ${parsed.message}`,
    ...at,
  };
}

/**
 * Parses a `/k8s-audit` body: an EventList (what kube-apiserver sends), one Event, or an
 * array of Events or of log shippers' records (Fluent Bit's and Vector's HTTP outputs:
 * shipper-records.ts). Each element is checked as the decoder would; good ones are kept
 * as compact JSON, bad ones reported by index. A body that is not JSON, or not one of
 * those shapes, fails as a whole with the position of the error.
 */
export function parseAuditBatch(
  text: string,
  maxDepth = DEFAULT_MAX_DEPTH,
  maxEventSize = DEFAULT_MAX_EVENT_SIZE,
): ParsedBatch {
  // The decoder's nesting bound, plus the EventList and its items array around events.
  const parsed = parseJsonText(text, maxDepth + 2);
  if (!parsed.ok) return { ok: false, ...describeJsonFailure(text, parsed) };
  const found = elementsOf(parsed.value);
  if (found === undefined) {
    return {
      ok: false,
      code: 'NOT_AUDIT_PAYLOAD',
      message: 'expected an audit.k8s.io EventList, an Event, or an array of Events',
    };
  }
  const out = { events: [] as string[], rejects: [] as ElementReject[] };
  const spans: number[] = [];
  const texts = elementTexts(text, found.items, found.depth, spans);
  found.items.forEach((item, index) => {
    acceptElement(item, texts?.[index], index, maxDepth, maxEventSize, out);
  });
  // Spans stand for the events only when each one is its element's text, untouched.
  const asSent =
    texts !== undefined &&
    spans.length === 2 * out.events.length &&
    out.events.every((e, i) => e === texts[i]);
  return { ok: true, ...out, ...(asSent ? { spans } : {}) };
}

/**
 * Parses an NDJSON body (`application/x-ndjson`: Fluent Bit's json_lines, Vector's
 * newline-delimited framing): one event or shipper record per line, blank lines
 * skipped. A line that is not JSON is refused alone; its index is its line (from 0).
 */
export function parseNdjsonBatch(
  text: string,
  maxDepth = DEFAULT_MAX_DEPTH,
  maxEventSize = DEFAULT_MAX_EVENT_SIZE,
): ParsedBatch {
  const out = { events: [] as string[], rejects: [] as ElementReject[] };
  const lines = text.split('\n');
  let seen = 0;
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    seen++;
    const parsed = parseJsonText(line, maxDepth);
    if (!parsed.ok) {
      out.rejects.push({
        index,
        reason: parsed.reason,
        message: `line ${index + 1}: ${parsed.message}`,
      });
      return;
    }
    acceptElement(parsed.value, line, index, maxDepth, maxEventSize, out);
  });
  if (seen === 0)
    return { ok: false, code: 'EMPTY_BODY', message: 'the NDJSON body holds no line' };
  return { ok: true, ...out };
}
