import type { Alert } from '../engine/index.ts';
import { formatAlertText, formatIsoTimeNs } from '../outputs/index.ts';
import { PRIORITIES, type Priority, priorityRank } from '../rules/index.ts';
import { sanitizeEvent } from './sanitize-event.ts';
import type { StoredAlert, StoredCorrelation } from './store.ts';

/**
 * One alert as both stores write it: the event serialised and sanitised, the filter
 * columns taken out of it. Every value here came from an attacker-controlled event, so
 * the indexed columns are cut to INDEXED_MAX characters and INDEXED_MAX_BYTES bytes of
 * UTF-8 (a PostgreSQL B-tree refuses entries over 2704 bytes, the dedup index and the
 * covering time index hold three such values, and nobody filters on a longer name).
 */
export interface AlertRow {
  readonly timeNs: bigint;
  readonly priority: number;
  readonly rule: string;
  readonly source: string;
  readonly tags: readonly string[];
  readonly hostname: string;
  readonly cluster: string | null;
  readonly output: string;
  readonly message: string;
  /** JSON text. */
  readonly outputFields: string;
  readonly namespace: string | null;
  readonly user: string | null;
  readonly verb: string | null;
  readonly resource: string | null;
  readonly name: string | null;
  readonly auditId: string | null;
  readonly stage: string | null;
  readonly sourceIp: string | null;
  readonly userAgent: string | null;
  readonly responseCode: number | null;
  readonly redacted: boolean;
  /** JSON text of the sanitised event, or null when the alert came without one. */
  readonly event: string | null;
  /** JSON text of a StoredCorrelation, or null for an alert of a single event. */
  readonly correlation: string | null;
}

export const INDEXED_MAX = 512;
export const INDEXED_MAX_BYTES = 600;

/** `s` cut to INDEXED_MAX characters and INDEXED_MAX_BYTES of UTF-8, whole code points. */
export function cutIndexed(s: string): string {
  let out = s.length > INDEXED_MAX ? s.slice(0, INDEXED_MAX) : s;
  if (Buffer.byteLength(out) <= INDEXED_MAX_BYTES) return out;
  let bytes = 0;
  let end = 0;
  for (const ch of out) {
    bytes += Buffer.byteLength(ch);
    if (bytes > INDEXED_MAX_BYTES) break;
    end += ch.length;
  }
  out = out.slice(0, end);
  return out;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? cutIndexed(v) : null;
}

function obj(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : {};
}

function withSub(resource: unknown, sub: unknown): string | null {
  const r = str(resource);
  if (r === null) return null;
  const s = str(sub);
  return s ? cutIndexed(`${r}/${s}`) : r;
}

type Columns = Pick<
  AlertRow,
  | 'namespace'
  | 'user'
  | 'verb'
  | 'resource'
  | 'name'
  | 'auditId'
  | 'stage'
  | 'sourceIp'
  | 'userAgent'
  | 'responseCode'
>;

const NO_COLUMNS: Columns = {
  namespace: null,
  user: null,
  verb: null,
  resource: null,
  name: null,
  auditId: null,
  stage: null,
  sourceIp: null,
  userAgent: null,
  responseCode: null,
};

/** The filter columns of an audit Event or an AdmissionReview (its `request`). */
function eventColumns(e: Readonly<Record<string, unknown>>): Columns {
  if ('request' in e && !('auditID' in e)) {
    const req = obj(e.request);
    const res = obj(req.resource);
    const op = str(req.operation);
    return {
      ...NO_COLUMNS,
      namespace: str(req.namespace),
      user: str(obj(req.userInfo).username),
      verb: op === null ? null : op.toLowerCase(),
      resource: withSub(res.resource, req.subResource),
      name: str(req.name),
      auditId: str(req.uid),
    };
  }
  const ref = obj(e.objectRef);
  const ips = e.sourceIPs;
  const code = obj(e.responseStatus).code;
  return {
    namespace: str(ref.namespace),
    user: str(obj(e.user).username),
    verb: str(e.verb),
    resource: withSub(ref.resource, ref.subresource),
    name: str(ref.name),
    auditId: str(e.auditID),
    stage: str(e.stage),
    sourceIp: Array.isArray(ips) ? str(ips[0]) : null,
    userAgent: str(e.userAgent),
    responseCode: typeof code === 'number' && Number.isInteger(code) ? code : null,
  };
}

/**
 * The dedup columns of an alert that came without its event: the engine's `eventId`
 * (`auditID/stage`, or `admission/uid`) still identifies the event.
 */
function identityColumns(eventId: string | undefined): Columns {
  if (eventId === undefined) return NO_COLUMNS;
  if (eventId.startsWith('admission/')) {
    return {
      ...NO_COLUMNS,
      auditId: cutIndexed(eventId.slice('admission/'.length)),
    };
  }
  const slash = eventId.lastIndexOf('/');
  if (slash <= 0) return NO_COLUMNS;
  const stage = eventId.slice(slash + 1);
  return {
    ...NO_COLUMNS,
    auditId: cutIndexed(eventId.slice(0, slash)),
    stage: stage === '' ? null : cutIndexed(stage),
  };
}

function clusterOf(a: Alert): string | null {
  const ann = obj(a.event?.annotations);
  const fromEvent = str(ann.cluster_name);
  if (fromEvent !== null) return fromEvent;
  const f = a.outputFields['ka.cluster.name'] ?? a.outputFields['kar.cluster.name'];
  return typeof f === 'string' ? cutIndexed(f) : null;
}

/**
 * What a correlated (or suppression-closing) alert stands for, as stored: the engine's
 * correlation, with `suppressed` on the alert that closes a suppression window.
 */
function correlationOf(a: Alert): StoredCorrelation | null {
  const c = a.correlation;
  if (c === undefined) return null;
  return {
    count: c.count,
    windowMs: c.windowMs,
    group: c.group,
    auditIds: c.auditIds,
    ...(a.suppressed !== undefined ? { suppressed: a.suppressed } : {}),
  };
}

/** The stored correlation JSON text back as an object (null when absent or unreadable). */
export function parseStoredCorrelation(text: string | null): StoredCorrelation | null {
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as StoredCorrelation)
      : null;
  } catch {
    return null;
  }
}

/** Turns an engine alert into the row both stores write. */
export function toAlertRow(a: Alert): AlertRow {
  const sanitized = a.event === undefined ? undefined : sanitizeEvent(a.event);
  return {
    timeNs: BigInt(a.timeNs),
    priority: priorityRank(a.priority),
    rule: cutIndexed(a.rule),
    source: cutIndexed(a.source),
    tags: a.tags.map(cutIndexed),
    hostname: a.hostname,
    cluster: clusterOf(a),
    output: formatAlertText(a, { isoTime: true }),
    message: a.message,
    outputFields: JSON.stringify(a.outputFields),
    ...(a.event === undefined ? identityColumns(a.eventId) : eventColumns(a.event)),
    redacted: sanitized?.redacted ?? false,
    event: sanitized?.json ?? null,
    correlation: ((c) => (c === null ? null : JSON.stringify(c)))(correlationOf(a)),
  };
}

/** Priority name of a stored rank (an unknown rank reads as Debug). */
export function priorityOfRank(rank: number): Priority {
  return PRIORITIES[rank] ?? 'Debug';
}

/** The API shape of a row (id assigned by the store). */
export function toStoredAlert(id: string, r: AlertRow): StoredAlert {
  const timeNs = r.timeNs.toString();
  return {
    id,
    time: formatIsoTimeNs(timeNs),
    timeNs,
    rule: r.rule,
    priority: priorityOfRank(r.priority),
    source: r.source,
    tags: r.tags,
    hostname: r.hostname,
    cluster: r.cluster,
    output: r.output,
    message: r.message,
    outputFields: JSON.parse(r.outputFields) as StoredAlert['outputFields'],
    namespace: r.namespace,
    user: r.user,
    verb: r.verb,
    resource: r.resource,
    name: r.name,
    auditId: r.auditId,
    stage: r.stage,
    sourceIp: r.sourceIp,
    userAgent: r.userAgent,
    responseCode: r.responseCode,
    redacted: r.redacted,
    correlation: parseStoredCorrelation(r.correlation),
  };
}
