import type { Body } from './bodies.ts';
import { type Rng, randomUuid } from './prng.ts';

/** Who makes a request. */
export interface Actor {
  readonly username: string;
  readonly groups: readonly string[];
  readonly userAgent: string;
  readonly ip: string;
}

/** One request, before it is rendered as an audit Event. */
export interface RequestSpec {
  readonly actor: Actor;
  readonly verb: string;
  /** Absent for non-resource requests (/healthz, /metrics). */
  readonly resource?: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly apiGroup?: string;
  readonly apiVersion?: string;
  readonly uri: string;
  readonly code: number;
  readonly stage?: 'RequestReceived' | 'ResponseStarted' | 'ResponseComplete';
  readonly request?: Body;
  readonly response?: Body;
  readonly decision?: 'allow' | 'forbid';
  readonly reason?: string;
}

export type AuditLevel = 'Metadata' | 'Request' | 'RequestResponse';

const START_MS = Date.UTC(2026, 10, 2, 10, 0, 0);

/** A `2026-11-02T10:00:00.123456Z` timestamp, as kube-apiserver writes them (µs). */
export function formatMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  const iso = new Date(START_MS + ms).toISOString();
  return `${iso.slice(0, 19)}.${String(ms % 1000).padStart(3, '0')}${String(us % 1000).padStart(3, '0')}Z`;
}

/**
 * Renders a request as an audit.k8s.io/v1 Event object whose member order is the
 * apiserver's (Go struct order), so that stringifying it gives realistic lines.
 */
export function renderEvent(rng: Rng, spec: RequestSpec, level: AuditLevel, tUs: number): Body {
  const stage = spec.stage ?? 'ResponseComplete';
  const received = stage === 'RequestReceived';
  const user: Body = {
    username: spec.actor.username,
    uid: randomUuid(rng),
    groups: spec.actor.groups,
  };
  if (spec.actor.username.startsWith('system:serviceaccount:')) {
    user.extra = {
      'authentication.kubernetes.io/credential-id': [`JTI=${randomUuid(rng)}`],
      'authentication.kubernetes.io/node-name': [`node-${rng.int(40)}`],
    };
  }
  const ev: Body = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level,
    auditID: randomUuid(rng),
    stage,
    requestURI: spec.uri,
    verb: spec.verb,
    user,
    sourceIPs: [spec.actor.ip],
    userAgent: spec.actor.userAgent,
  };
  if (spec.resource !== undefined) {
    const ref: Body = { resource: spec.resource };
    if (spec.namespace !== undefined) ref.namespace = spec.namespace;
    if (spec.name !== undefined) ref.name = spec.name;
    ref.apiGroup = spec.apiGroup ?? '';
    ref.apiVersion = spec.apiVersion ?? 'v1';
    if (spec.subresource !== undefined) ref.subresource = spec.subresource;
    ev.objectRef = ref;
  }
  if (!received) {
    const status: Body = { metadata: {}, code: spec.code };
    if (spec.code >= 400) {
      status.status = 'Failure';
      status.message = `${spec.resource ?? 'resource'} "${spec.name ?? ''}" is forbidden: User "${spec.actor.username}" cannot ${spec.verb} resource`;
      status.reason = spec.code === 403 ? 'Forbidden' : 'NotFound';
    }
    ev.responseStatus = status;
  }
  if (level !== 'Metadata' && spec.request !== undefined) ev.requestObject = spec.request;
  if (level === 'RequestResponse' && !received && spec.response !== undefined) {
    ev.responseObject = spec.response;
  }
  ev.requestReceivedTimestamp = formatMicros(tUs);
  ev.stageTimestamp = formatMicros(received ? tUs : tUs + 300 + rng.int(40_000));
  if (!received) {
    const decision = spec.decision ?? (spec.code === 403 ? 'forbid' : 'allow');
    ev.annotations = {
      'authorization.k8s.io/decision': decision,
      'authorization.k8s.io/reason':
        spec.reason ??
        (decision === 'allow' ? 'RBAC: allowed by ClusterRoleBinding "system:basic-user"' : ''),
    };
  }
  return ev;
}
