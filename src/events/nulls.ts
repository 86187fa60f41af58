import { OBJECT_REF_STRINGS } from './validate.ts';

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deletes the listed keys of `o` that hold null; true when one did. */
function dropNullKeys(o: Obj, keys: readonly string[]): boolean {
  let changed = false;
  for (const k of keys) {
    if (o[k] === null) {
      delete o[k];
      changed = true;
    }
  }
  return changed;
}

/** Go decodes a null element of a []string as "": so do we. */
function blankNullItems(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  let changed = false;
  for (let i = 0; i < v.length; i++) {
    if (v[i] === null) {
      v[i] = '';
      changed = true;
    }
  }
  return changed;
}

/** Deletes the null values of a map[string]string (Go would keep "", Falco sees none). */
function dropNullValues(v: unknown): boolean {
  if (!isObject(v)) return false;
  return dropNullKeys(v, Object.keys(v));
}

const USER_KEYS = ['username', 'uid', 'groups', 'extra'];

function normalizeUser(o: Obj, key: string): boolean {
  const u = o[key];
  if (u === null) {
    delete o[key];
    return true;
  }
  if (!isObject(u)) return false;
  const a = dropNullKeys(u, USER_KEYS);
  return blankNullItems(u.groups) || a;
}

const EVENT_KEYS = [
  'auditID',
  'verb',
  'stage',
  'level',
  'requestURI',
  'userAgent',
  'apiVersion',
  'requestReceivedTimestamp',
  'stageTimestamp',
  'user',
  'impersonatedUser',
  'sourceIPs',
  'objectRef',
  'responseStatus',
  'annotations',
];

/**
 * Reads `null` in an audit Event as the apiserver's decoder (Go's encoding/json) does:
 * a null object, list or string is absent, a null item of a string list is "", and a
 * null annotation value is dropped. Changes `e` in place; true when it changed
 * anything. Only called for an event that failed validation, so a valid event costs
 * nothing.
 */
export function normalizeEventNulls(e: Obj): boolean {
  let changed = normalizeUser(e, 'user');
  changed = normalizeUser(e, 'impersonatedUser') || changed;
  changed = dropNullKeys(e, EVENT_KEYS) || changed;
  changed = blankNullItems(e.sourceIPs) || changed;
  if (isObject(e.objectRef)) changed = dropNullKeys(e.objectRef, OBJECT_REF_STRINGS) || changed;
  if (isObject(e.responseStatus)) changed = dropNullKeys(e.responseStatus, ['code']) || changed;
  return dropNullValues(e.annotations) || changed;
}

const REQUEST_KEYS = [
  'uid',
  'operation',
  'name',
  'namespace',
  'subResource',
  'kind',
  'resource',
  'requestKind',
  'requestResource',
  'dryRun',
];

/** The same for a kube-audit-rest AdmissionReview (`request` and its user). */
export function normalizeAdmissionNulls(e: Obj): boolean {
  let changed = dropNullKeys(e, ['requestReceivedTimestamp']);
  const req = e.request;
  if (!isObject(req)) return changed;
  changed = normalizeUser(req, 'userInfo') || changed;
  return dropNullKeys(req, REQUEST_KEYS) || changed;
}
