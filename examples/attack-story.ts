// The incidents hidden in the example log, in time order. README.md lists the alerts each
// one should raise; keep the two in step.
import type { EventFactory, Identity, TimedEvent } from './audit-event.ts';
import { ADMIN, CI_DEPLOYER, GRAFANA } from './identities.ts';

const MIN = 60_000;

/** Someone outside the network who found an RBAC hole for system:anonymous. */
const SCANNER: Identity = {
  username: 'system:anonymous',
  groups: ['system:unauthenticated'],
  userAgent: 'curl/8.5.0',
  ip: '203.0.113.77',
  allowReason:
    'RBAC: allowed by ClusterRoleBinding "debug-anonymous" of ClusterRole "view" to User "system:anonymous"',
};

/** The CI service account's token, stolen and used from outside. */
const STOLEN_CI: Identity = {
  ...CI_DEPLOYER,
  userAgent: 'kubectl/v1.29.0 (darwin/arm64) kubernetes/3f7a50f',
  ip: '198.51.100.23',
};

const ROOT_POD = {
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: { name: 'node-debugger', namespace: 'ci' },
  spec: {
    nodeName: 'worker-2',
    hostPID: false,
    containers: [
      {
        name: 'shell',
        image: 'docker.io/library/alpine:3.20',
        command: ['sleep', '86400'],
        securityContext: { privileged: true },
        volumeMounts: [{ name: 'host-root', mountPath: '/host' }],
      },
    ],
    volumes: [{ name: 'host-root', hostPath: { path: '/', type: 'Directory' } }],
  },
};

export function generateAttacks(f: EventFactory, start: number): TimedEvent[] {
  const at = (minute: number, second: number): number => start + minute * MIN + second * 1000;
  const apply = 'fieldManager=kubectl-client-side-apply&fieldValidation=Strict';
  return [
    // 1. Anonymous probing: the first request is refused, the second is allowed.
    f.request({
      at: at(31, 2),
      who: SCANNER,
      verb: 'list',
      target: { resource: 'secrets' },
      query: 'limit=500',
      code: 403,
    }),
    f.request({
      at: at(31, 7),
      who: SCANNER,
      verb: 'list',
      target: { resource: 'namespaces' },
      query: 'limit=500',
    }),
    // 2. The admin opens a shell in the database pod (logged at ResponseStarted with 101).
    f.request({
      at: at(33, 40),
      who: ADMIN,
      verb: 'create',
      received: true,
      target: { resource: 'pods', namespace: 'shop', name: 'shop-db-0', subresource: 'exec' },
      query: 'command=%2Fbin%2Fbash&container=postgres&stdin=true&stdout=true&tty=true',
      startedCode: 101,
      code: 101,
      durationMs: 95_000,
    }),
    // 3. The stolen CI token looks around, then starts a privileged pod with the node's / mounted.
    f.request({
      at: at(38, 12),
      who: STOLEN_CI,
      verb: 'list',
      target: { resource: 'nodes' },
      query: 'limit=500',
      received: true,
    }),
    f.request({
      at: at(38, 30),
      who: STOLEN_CI,
      verb: 'create',
      received: true,
      level: 'RequestResponse',
      target: { resource: 'pods', namespace: 'ci', name: 'node-debugger' },
      query: apply,
      requestObject: ROOT_POD,
      responseObject: ROOT_POD,
    }),
    // 4. Persistence: a service account in kube-system, bound to cluster-admin.
    f.request({
      at: at(39, 5),
      who: STOLEN_CI,
      verb: 'create',
      received: true,
      level: 'Request',
      target: { resource: 'serviceaccounts', namespace: 'kube-system', name: 'metrics-helper' },
      query: apply,
      requestObject: {
        kind: 'ServiceAccount',
        apiVersion: 'v1',
        metadata: { name: 'metrics-helper', namespace: 'kube-system' },
      },
    }),
    f.request({
      at: at(39, 20),
      who: STOLEN_CI,
      verb: 'create',
      received: true,
      level: 'Request',
      target: {
        resource: 'clusterrolebindings',
        name: 'metrics-helper-admin',
        group: 'rbac.authorization.k8s.io',
      },
      query: apply,
      requestObject: {
        kind: 'ClusterRoleBinding',
        apiVersion: 'rbac.authorization.k8s.io/v1',
        metadata: { name: 'metrics-helper-admin' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'cluster-admin',
        },
        subjects: [{ kind: 'ServiceAccount', name: 'metrics-helper', namespace: 'kube-system' }],
      },
    }),
    // 5. A client-chosen Audit-ID header, to blend in or collide with other records.
    f.request({
      at: at(41, 2),
      who: STOLEN_CI,
      verb: 'list',
      target: { resource: 'pods' },
      query: 'limit=500',
      auditID: 'kubectl-debug-0001',
      received: true,
    }),
    // 6. A forged X-Forwarded-For naming the CI runner, while reading a bootstrap token.
    f.request({
      at: at(41, 30),
      who: STOLEN_CI,
      verb: 'get',
      received: true,
      target: { resource: 'secrets', namespace: 'kube-system', name: 'bootstrap-token-7xq2mf' },
      sourceIPs: ['10.20.5.40', '198.51.100.23'],
    }),
    // 7. Grafana's service account (a compromised plugin) reads the database password.
    f.request({
      at: at(44, 10),
      who: GRAFANA,
      verb: 'get',
      target: { resource: 'secrets', namespace: 'shop', name: 'shop-db-credentials' },
    }),
  ].flat();
}
