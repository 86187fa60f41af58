import type { AuditRecord } from '../events/index.ts';

/** What a timeline shows of one audit event; every text is the event's, untrusted. */
export interface TimelineEvent {
  readonly timeNs: bigint;
  readonly auditId: string;
  readonly verb: string;
  readonly resource: string;
  readonly subresource: string;
  readonly namespace: string;
  readonly name: string;
  readonly code: number | undefined;
  /** The client address: sourceIPs[0] (the others are proxies' claims). */
  readonly sourceIp: string;
  readonly userAgent: string;
  readonly decision: string;
}

// Bounds what one hostile event can make a timeline print or hold.
const MAX_TEXT = 256;

function text(v: unknown): string {
  return typeof v === 'string' ? v.slice(0, MAX_TEXT) : '';
}

function member(obj: unknown, key: string): unknown {
  return obj !== null && typeof obj === 'object'
    ? (obj as Record<string, unknown>)[key]
    : undefined;
}

/** The timeline's view of a k8s_audit record (missing members are ''). */
export function toTimelineEvent(rec: AuditRecord): TimelineEvent {
  const o = rec.obj;
  const ref = o.objectRef;
  const ips = o.sourceIPs;
  const code = member(o.responseStatus, 'code');
  return {
    timeNs: BigInt(rec.timeNs),
    auditId: text(o.auditID),
    verb: text(o.verb),
    resource: text(member(ref, 'resource')),
    subresource: text(member(ref, 'subresource')),
    namespace: text(member(ref, 'namespace')),
    name: text(member(ref, 'name')),
    code: typeof code === 'number' && Number.isInteger(code) ? code : undefined,
    sourceIp: Array.isArray(ips) ? text(ips[0]) : '',
    userAgent: text(o.userAgent),
    decision: text(member(o.annotations, 'authorization.k8s.io/decision')),
  };
}
