import { type EventProblem, isObject } from './validate.ts';

type Obj = Record<string, unknown>;

const AUDIT_LOG_TYPE = 'type.googleapis.com/google.cloud.audit.AuditLog';
const AUDIT_LOG_NAMES = [
  'cloudaudit.googleapis.com%2Factivity',
  'cloudaudit.googleapis.com%2Fdata_access',
];

/** A rebuilt Event, or why the LogEntry cannot be one. */
export type GkeConversion = { readonly event: Obj } | { readonly problem: EventProblem };

/** True for a Cloud Logging LogEntry (it carries an AuditLog in `protoPayload`). */
export function isGkeLogEntry(v: Obj): boolean {
  return isObject(v.protoPayload);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * objectRef from an AuditLog resourceName: `group/version/namespaces/ns/resource[/name
 * [/subresource]]` or cluster-scoped `group/version/resource/name[/subresource]`.
 */
export function parseGkeResourceName(name: string): Obj | undefined {
  const p = name.split('/');
  const base = { apiGroup: p[0], apiVersion: p[1] };
  if (p[2] === 'namespaces' && p.length >= 5) {
    const ref: Obj = { ...base, namespace: p[3], resource: p[4] };
    if (p.length >= 6) ref.name = p[5];
    if (p.length >= 7) ref.subresource = p[6];
    return ref;
  }
  if (p.length >= 4) {
    const ref: Obj = { ...base, resource: p[2], name: p[3] };
    if (p.length >= 5) ref.subresource = p[4];
    return ref;
  }
  return undefined;
}

/** metav1.MicroTime precision: the reconstructed event carries microseconds. */
function toMicroTime(ts: string): string {
  return ts.replace(/\.(\d+)Z$/, (_m, frac: string) => `.${frac.slice(0, 6).padEnd(6, '0')}Z`);
}

function stringLabels(into: Obj, labels: unknown): void {
  if (!isObject(labels)) return;
  for (const k in labels) {
    const v = labels[k];
    if (typeof v === 'string') into[k] = v;
  }
}

// google.rpc.Code → the HTTP status the apiserver answered with (the usual mapping of
// Google APIs; GKE writes the failed request's status this way).
const RPC_TO_HTTP: Readonly<Record<number, number>> = {
  1: 499,
  2: 500,
  3: 400,
  4: 504,
  5: 404,
  6: 409,
  7: 403,
  8: 429,
  9: 400,
  10: 409,
  11: 400,
  12: 501,
  13: 500,
  14: 503,
  15: 500,
  16: 401,
};

/** The response status: the entry's failure when it records one, else inferred success. */
function responseStatus(pp: Obj, verb: string, streaming: boolean): Obj {
  const st = isObject(pp.status) ? pp.status : undefined;
  const rpc = typeof st?.code === 'number' ? st.code : 0;
  if (rpc !== 0) {
    const message = str(st?.message) ?? '';
    return { metadata: {}, status: 'Failure', message, code: RPC_TO_HTTP[rpc] ?? 500 };
  }
  const [code, status] = streaming
    ? [101, 'Switching Protocols (inferred)']
    : verb === 'create'
      ? [201, 'Created (inferred)']
      : [200, 'OK (inferred)'];
  return { metadata: {}, status, message: status, code };
}

/**
 * Rebuilds an audit.k8s.io/v1 Event from a GKE Cloud Audit Logs LogEntry, as the
 * k8saudit-gke plugin does, with two differences: the entry's `insertId` is Cloud
 * Logging's id, not the apiserver's, so the event has no `auditID` (rules about audit
 * IDs must not judge it); and a failure the entry records (`protoPayload.status`) gives
 * its HTTP code, where the plugin infers success for every entry. Otherwise the code is
 * inferred (201 for create, else 200), exec/attach become ResponseStarted with 101, and
 * the LogEntry and resource labels become annotations (so `cluster_name` and the
 * authorization decision are available). docs/inputs-managed.md lists which fields are
 * real, rebuilt or absent.
 */
export function convertGkeLogEntry(entry: Obj): GkeConversion {
  const pp = entry.protoPayload as Obj;
  const logName = str(entry.logName) ?? '';
  const resource = isObject(entry.resource) ? entry.resource : {};
  if (
    pp['@type'] !== AUDIT_LOG_TYPE ||
    pp.serviceName !== 'k8s.io' ||
    resource.type !== 'k8s_cluster' ||
    !AUDIT_LOG_NAMES.some((n) => logName.endsWith(n))
  ) {
    return { problem: { reason: 'not_audit_event', message: 'LogEntry is not a GKE audit log' } };
  }
  const methodName = str(pp.methodName);
  const time = str(entry.receiveTimestamp) ?? str(entry.timestamp);
  if (methodName === undefined) {
    return {
      problem: { reason: 'wrong_type', message: 'protoPayload.methodName must be a string' },
    };
  }
  if (time === undefined) {
    return { problem: { reason: 'missing_timestamp', message: 'no receiveTimestamp' } };
  }
  const verb = methodName.slice(methodName.lastIndexOf('.') + 1);
  const resourceName = str(pp.resourceName) ?? '';
  const objectRef = resourceName === '' ? undefined : parseGkeResourceName(resourceName);
  const streaming = objectRef?.subresource === 'attach' || objectRef?.subresource === 'exec';
  const auth = isObject(pp.authenticationInfo) ? pp.authenticationInfo : {};
  const meta = isObject(pp.requestMetadata) ? pp.requestMetadata : {};
  const annotations: Obj = {};
  stringLabels(annotations, entry.labels);
  stringLabels(annotations, resource.labels);
  const ts = toMicroTime(time);
  const event: Obj = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: streaming ? 'Request' : 'RequestResponse',
    stage: streaming ? 'ResponseStarted' : 'ResponseComplete',
    requestURI: `/${resourceName}`,
    verb,
    user: { username: str(auth.principalEmail) ?? '' },
    sourceIPs: [str(meta.callerIp) ?? ''],
  };
  const agent = str(meta.callerSuppliedUserAgent);
  if (agent !== undefined && agent !== '') event.userAgent = agent;
  if (objectRef !== undefined) event.objectRef = objectRef;
  event.responseStatus = responseStatus(pp, verb, streaming);
  if (isObject(pp.request)) event.requestObject = pp.request;
  if (isObject(pp.response)) event.responseObject = pp.response;
  event.requestReceivedTimestamp = ts;
  event.stageTimestamp = ts;
  event.annotations = annotations;
  return { event };
}
