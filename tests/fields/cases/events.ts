import type { AuditRecord } from '../../../src/events/record.ts';

/** stageTimestamp 2026-11-02T10:15:30.234567Z as the decoder would record it. */
export const TIME_NS = `${Date.UTC(2026, 10, 2, 10, 15, 30) / 1000}234567000`;

/** An audit record for `obj` (k8s_audit unless told). */
export function rec(
  obj: Record<string, unknown>,
  source: AuditRecord['source'] = 'k8s_audit',
): AuditRecord {
  return { obj, source, timeNs: TIME_NS, num: 42 };
}

/** A submitted pod with two containers, an init and an ephemeral container, volumes. */
export function podSpec(): Record<string, unknown> {
  return {
    hostIPC: false,
    hostNetwork: true,
    securityContext: {
      runAsUser: 1000,
      runAsGroup: 3000,
      fsGroup: 2000,
      supplementalGroups: [4000, 5000],
    },
    containers: [
      {
        name: 'web',
        image: 'registry:5000/team/web:1.2@sha256:abcd',
        command: ['nginx', '-g', 'daemon off;'],
        ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 443 }],
        securityContext: {
          privileged: true,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsUser: 0,
          procMount: 'Unmasked',
          capabilities: { add: ['NET_ADMIN', 'SYS_TIME'], drop: ['ALL'] },
        },
      },
      {
        name: 'sidecar',
        image: 'busybox',
        args: ['sleep', '3600'],
        securityContext: { runAsGroup: 10 },
      },
    ],
    initContainers: [
      {
        name: 'init',
        image: 'alpine:3.19',
        command: ['sh', '-c', 'echo hi'],
        args: ['--once'],
        ports: [{ containerPort: 9000 }],
        securityContext: {
          privileged: false,
          allowPrivilegeEscalation: true,
          readOnlyRootFilesystem: false,
          runAsUser: 5,
          runAsGroup: 6,
          procMount: 'Default',
          capabilities: { add: ['CHOWN'] },
        },
      },
    ],
    ephemeralContainers: [
      {
        name: 'debugger',
        image: 'docker.io/library/busybox:1.36',
        command: ['sh'],
        args: ['-i'],
        targetContainerName: 'web',
        securityContext: {
          privileged: true,
          allowPrivilegeEscalation: true,
          readOnlyRootFilesystem: false,
          runAsUser: 7,
          runAsGroup: 8,
          procMount: 'Default',
          capabilities: { add: ['SYS_PTRACE'] },
        },
      },
    ],
    volumes: [
      { name: 'proc', hostPath: { path: '/proc', type: '' } },
      { name: 'cfg', configMap: { name: 'app-config' } },
      { name: 'flex', flexVolume: { driver: 'example.com/lvm', fsType: 'ext4' } },
      { name: 'docker', hostPath: { path: '/var/run/docker.sock' } },
    ],
  };
}

/** `kubectl apply` of a pod, logged at RequestResponse. */
export function podCreate(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'RequestResponse',
    auditID: '7c2b3f0e-1d2a-4e5b-9c8d-0a1b2c3d4e5f',
    stage: 'ResponseComplete',
    requestURI: '/api/v1/namespaces/default/pods?fieldManager=kubectl-client-side-apply',
    verb: 'create',
    user: { username: 'alice@example.com', groups: ['developers', 'system:authenticated'] },
    sourceIPs: ['10.0.0.12', '192.168.1.5'],
    userAgent: 'kubectl/v1.30.1 (linux/amd64) kubernetes/7c4de8e',
    objectRef: { resource: 'pods', namespace: 'default', apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 201 },
    requestObject: {
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { generateName: 'web-', namespace: 'default' },
      spec: podSpec(),
    },
    responseObject: {
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { name: 'web-7d9f2', namespace: 'default', uid: 'a1b2' },
    },
    requestReceivedTimestamp: '2026-11-02T10:15:30.123456Z',
    stageTimestamp: '2026-11-02T10:15:30.234567Z',
    annotations: {
      'authorization.k8s.io/decision': 'allow',
      'authorization.k8s.io/reason': 'RBAC: allowed by RoleBinding "dev/default"',
    },
    ...over,
  };
}

/** `kubectl exec` through an impersonated user, on an OpenShift cluster with extras. */
export function podExec(uri: string): Record<string, unknown> {
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Request',
    auditID: 'e0e1e2e3-0000-4000-8000-000000000001',
    stage: 'ResponseStarted',
    requestURI: uri,
    verb: 'create',
    user: { username: 'bob', groups: ['system:authenticated'] },
    impersonatedUser: { username: 'system:admin' },
    sourceIPs: ['172.16.0.9'],
    userAgent: 'kubectl/v1.29.0',
    objectRef: {
      resource: 'pods',
      namespace: 'prod',
      name: 'db-0',
      apiVersion: 'v1',
      subresource: 'exec',
    },
    responseStatus: { metadata: {}, code: 101 },
    responseObject: { metadata: { name: 'not-a-pod' } },
    stageTimestamp: '2026-11-02T10:15:30.234567Z',
    annotations: {
      'authorization.k8s.io/decision': 'allow',
      'authorization.k8s.io/reason': '',
      'authentication.openshift.io/decision': 'allow',
      'authentication.openshift.io/username': 'bob@corp',
      'validation.policy.admission.k8s.io/validation_failure': '[{"message":"no exec"}]',
      'pod-security.kubernetes.io/audit-violations': 'privileged (container "db")',
      cluster_name: 'prod-eu-1',
    },
  };
}

/** A denied request: responseStatus with a reason. */
export function forbidden(): Record<string, unknown> {
  return {
    kind: 'Event',
    auditID: 'f0f0f0f0-0000-4000-8000-000000000002',
    stage: 'ResponseComplete',
    verb: 'get',
    requestURI: '/api/v1/namespaces/kube-system/secrets/token',
    user: { username: 'system:anonymous', groups: 'system:unauthenticated' },
    objectRef: { resource: 'secrets', namespace: 'kube-system', name: 'token' },
    responseStatus: { status: 'Failure', reason: 'Forbidden', code: 403 },
    annotations: { 'authorization.k8s.io/decision': 'forbid' },
  };
}

/** A submitted ClusterRoleBinding. */
export function bindingObject(): Record<string, unknown> {
  return {
    kind: 'ClusterRoleBinding',
    metadata: { name: 'ops' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [
      { kind: 'User', name: 'alice' },
      { kind: 'Group', name: 'devs' },
      { kind: 'ServiceAccount', name: 'builder', namespace: 'ci' },
      { kind: 'ServiceAccount', name: 'orphan' },
    ],
  };
}

/** A submitted ClusterRole with a resource rule and a non-resource rule. */
export function roleObject(): Record<string, unknown> {
  return {
    kind: 'ClusterRole',
    metadata: { name: 'reader' },
    rules: [
      { apiGroups: [''], resources: ['pods', 'pods/exec'], verbs: ['get', 'create'] },
      { nonResourceURLs: ['/healthz', '/metrics'], verbs: ['get'] },
    ],
  };
}

/** A submitted NodePort service. */
export function serviceObject(): Record<string, unknown> {
  return {
    kind: 'Service',
    spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] },
  };
}

/** An audit event submitting `obj` to `resource`. */
export function submit(resource: string, obj: Record<string, unknown>): Record<string, unknown> {
  return {
    kind: 'Event',
    auditID: `id-${resource}`,
    stage: 'ResponseComplete',
    verb: 'create',
    objectRef: { resource, name: 'obj-name' },
    requestObject: obj,
  };
}
