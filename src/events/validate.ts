import type { RejectReason } from './reject.ts';

/** Why an event object cannot become a record. */
export interface EventProblem {
  readonly reason: RejectReason;
  readonly message: string;
}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function wrong(path: string, expected: string): EventProblem {
  return { reason: 'wrong_type', message: `${path} must be ${expected}` };
}

function isStringArray(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (const x of v) if (typeof x !== 'string') return false;
  return true;
}

/** Checks that the listed keys, when present, hold strings. */
function checkStrings(o: Obj, keys: readonly string[], prefix: string): EventProblem | undefined {
  for (const k of keys) {
    const v = o[k];
    if (v !== undefined && typeof v !== 'string') return wrong(`${prefix}${k}`, 'a string');
  }
  return undefined;
}

/** kube-apiserver's UserInfo (`user`, `impersonatedUser`, AdmissionReview `userInfo`). */
function checkUser(v: unknown, path: string): EventProblem | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) return wrong(path, 'an object');
  if (notString(v.username)) return wrong(`${path}.username`, 'a string');
  if (notString(v.uid)) return wrong(`${path}.uid`, 'a string');
  if (v.groups !== undefined && !isStringArray(v.groups)) {
    return wrong(`${path}.groups`, 'an array of strings');
  }
  if (v.extra !== undefined && !isObject(v.extra)) return wrong(`${path}.extra`, 'an object');
  return undefined;
}

/** The string members of an Event's objectRef (audit.k8s.io ObjectReference). */
export const OBJECT_REF_STRINGS = [
  'resource',
  'namespace',
  'name',
  'subresource',
  'apiGroup',
  'apiVersion',
  'uid',
  'resourceVersion',
];

/** Present and not a string. */
function notString(v: unknown): boolean {
  return v !== undefined && typeof v !== 'string';
}

/**
 * Checks the shape of an audit.k8s.io Event: the keys that extractors and the rule index
 * read must have the Kubernetes types when present; `stageTimestamp` is required.
 * requestObject/responseObject may hold any JSON (runtime.Unknown). Written out key by
 * key: named property reads measured ~2x faster than a loop over a key list.
 */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: named property reads in one function, measured ~2x faster than a loop over a key list
export function checkAuditEvent(e: Obj): EventProblem | undefined {
  const ts = e.stageTimestamp;
  if (ts === undefined) return { reason: 'missing_timestamp', message: 'no stageTimestamp' };
  if (typeof ts !== 'string') return wrong('stageTimestamp', 'a string');
  if (notString(e.auditID)) return wrong('auditID', 'a string');
  if (notString(e.verb)) return wrong('verb', 'a string');
  if (notString(e.stage)) return wrong('stage', 'a string');
  if (notString(e.level)) return wrong('level', 'a string');
  if (notString(e.requestURI)) return wrong('requestURI', 'a string');
  if (notString(e.userAgent)) return wrong('userAgent', 'a string');
  if (notString(e.apiVersion)) return wrong('apiVersion', 'a string');
  if (notString(e.requestReceivedTimestamp)) return wrong('requestReceivedTimestamp', 'a string');
  const u = checkUser(e.user, 'user') ?? checkUser(e.impersonatedUser, 'impersonatedUser');
  if (u !== undefined) return u;
  if (e.sourceIPs !== undefined && !isStringArray(e.sourceIPs)) {
    return wrong('sourceIPs', 'an array of strings');
  }
  const ref = e.objectRef;
  if (ref !== undefined) {
    if (!isObject(ref)) return wrong('objectRef', 'an object');
    const r = checkStrings(ref, OBJECT_REF_STRINGS, 'objectRef.');
    if (r !== undefined) return r;
  }
  const status = e.responseStatus;
  if (status !== undefined) {
    if (!isObject(status)) return wrong('responseStatus', 'an object');
    if (status.code !== undefined && typeof status.code !== 'number') {
      return wrong('responseStatus.code', 'a number');
    }
  }
  const ann = e.annotations;
  if (ann !== undefined) {
    if (!isObject(ann)) return wrong('annotations', 'an object');
    for (const k in ann) if (typeof ann[k] !== 'string') return wrong('annotations', 'strings');
  }
  return undefined;
}

const REQUEST_STRINGS = ['uid', 'operation', 'name', 'namespace', 'subResource'];

/**
 * Checks an admission.k8s.io AdmissionReview as kube-audit-rest logs it: `request` with
 * a string `operation`, and `requestReceivedTimestamp` (the event time).
 */
export function checkAdmissionReview(e: Obj): EventProblem | undefined {
  const req = e.request;
  if (!isObject(req)) return wrong('request', 'an object');
  if (req.operation === undefined) {
    return { reason: 'not_audit_event', message: 'AdmissionReview without request.operation' };
  }
  const ts = e.requestReceivedTimestamp;
  if (ts === undefined) {
    return { reason: 'missing_timestamp', message: 'no requestReceivedTimestamp' };
  }
  if (typeof ts !== 'string') return wrong('requestReceivedTimestamp', 'a string');
  const s = checkStrings(req, REQUEST_STRINGS, 'request.');
  if (s !== undefined) return s;
  const u = checkUser(req.userInfo, 'request.userInfo');
  if (u !== undefined) return u;
  for (const k of ['kind', 'resource', 'requestKind', 'requestResource']) {
    const v = req[k];
    if (v !== undefined && !isObject(v)) return wrong(`request.${k}`, 'an object');
  }
  if (req.dryRun !== undefined && typeof req.dryRun !== 'boolean') {
    return wrong('request.dryRun', 'a boolean');
  }
  return undefined;
}

export { isObject };
