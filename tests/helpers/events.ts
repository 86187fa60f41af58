import type { AuditRecord } from '../../src/events/record.ts';

let counter = 0;

/** A realistic audit.k8s.io/v1 Event (kube-apiserver key order); `over` replaces keys. */
export function auditEvent(over: Record<string, unknown> = {}): Record<string, unknown> {
  counter++;
  const id = `0f1e2d3c-4b5a-4697-8899-${String(counter).padStart(12, '0')}`;
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'RequestResponse',
    auditID: id,
    stage: 'ResponseComplete',
    requestURI: '/api/v1/namespaces/default/pods',
    verb: 'create',
    user: { username: 'alice@example.com', groups: ['developers', 'system:authenticated'] },
    sourceIPs: ['10.0.0.12'],
    userAgent: 'kubectl/v1.30.1 (linux/amd64) kubernetes/7c4de8e',
    objectRef: { resource: 'pods', namespace: 'default', name: 'web', apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 201 },
    requestObject: {
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { name: 'web', namespace: 'default' },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
    },
    requestReceivedTimestamp: '2026-11-02T10:15:30.123456Z',
    stageTimestamp: '2026-11-02T10:15:30.234567Z',
    annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '' },
    ...over,
  };
}

/** Wraps an event object as the engine's record (time from stageTimestamp, to the µs). */
export function recordOf(obj: Record<string, unknown>, num = 1): AuditRecord {
  const ts = typeof obj.stageTimestamp === 'string' ? Date.parse(obj.stageTimestamp) : 0;
  const micros =
    typeof obj.stageTimestamp === 'string' ? (/\.(\d+)Z$/.exec(obj.stageTimestamp)?.[1] ?? '') : '';
  const frac = micros.padEnd(9, '0').slice(0, 9);
  const secs = Math.floor(ts / 1000);
  return { obj, source: 'k8s_audit', timeNs: `${secs}${frac}`, num };
}

/** A CRD create whose openAPIV3Schema nests `levels` schema levels (2 JSON levels each). */
export function deepCrdEvent(levels: number): Record<string, unknown> {
  let schema: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < levels; i++) {
    schema = { type: 'object', properties: { [`f${i}`]: schema } };
  }
  return auditEvent({
    verb: 'create',
    requestURI: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    objectRef: {
      resource: 'customresourcedefinitions',
      name: 'widgets.example.com',
      apiGroup: 'apiextensions.k8s.io',
      apiVersion: 'v1',
    },
    requestObject: {
      kind: 'CustomResourceDefinition',
      spec: { versions: [{ name: 'v1', schema: { openAPIV3Schema: schema } }] },
    },
  });
}
