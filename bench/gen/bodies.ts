import { type Rng, randomUuid } from './prng.ts';

/** Request/response objects of the kinds a busy cluster writes, roughly real-sized. */
export type Body = Record<string, unknown>;

function meta(rng: Rng, name: string, ns: string | undefined, extra: Body = {}): Body {
  return {
    name,
    ...(ns !== undefined ? { namespace: ns } : {}),
    uid: randomUuid(rng),
    resourceVersion: String(1_000_000 + rng.int(9_000_000)),
    creationTimestamp: '2026-10-30T08:12:44Z',
    ...extra,
    managedFields: [managedFields(rng)],
  };
}

// Server-side apply bookkeeping: present in most real bodies, and full of escaped quotes.
function managedFields(rng: Rng): Body {
  return {
    manager: rng.pick(['kubelet', 'kube-controller-manager', 'kubectl-client-side-apply']),
    operation: 'Update',
    apiVersion: 'v1',
    time: '2026-11-02T09:58:12Z',
    fieldsType: 'FieldsV1',
    fieldsV1: {
      'f:metadata': {
        'f:labels': { '.': {}, 'f:app': {} },
        'f:ownerReferences': { '.': {}, [`k:{"uid":"${randomUuid(rng)}"}`]: {} },
      },
      'f:spec': { 'f:holderIdentity': {}, 'f:leaseDurationSeconds': {}, 'f:renewTime': {} },
    },
  };
}

export function leaseBody(rng: Rng, node: string, time: string): Body {
  return {
    kind: 'Lease',
    apiVersion: 'coordination.k8s.io/v1',
    metadata: meta(rng, node, 'kube-node-lease', {
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node, uid: randomUuid(rng) }],
    }),
    spec: {
      holderIdentity: node,
      leaseDurationSeconds: 40,
      renewTime: time,
    },
  };
}

export function nodeStatusPatch(rng: Rng, time: string): Body {
  return {
    status: {
      $setElementOrder: {
        conditions: [
          { type: 'MemoryPressure' },
          { type: 'DiskPressure' },
          { type: 'PIDPressure' },
          { type: 'Ready' },
        ],
      },
      conditions: ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map((t) => ({
        lastHeartbeatTime: time,
        type: t,
      })),
      allocatable: { cpu: '3920m', memory: `${14_000_000 + rng.int(500_000)}Ki`, pods: '110' },
    },
  };
}

export interface PodOptions {
  readonly privileged?: boolean;
  readonly hostNetwork?: boolean;
  readonly image?: string;
}

export function podBody(rng: Rng, name: string, ns: string, o: PodOptions = {}): Body {
  const image = o.image ?? rng.pick(['nginx:1.27', 'redis:7.2', 'ghcr.io/acme/api:2.14.1']);
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: meta(rng, name, ns, {
      labels: { app: name.split('-')[0], 'pod-template-hash': rng.hex(10) },
      annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-10-31T09:00:00Z' },
    }),
    spec: {
      ...(o.hostNetwork ? { hostNetwork: true } : {}),
      containers: [
        {
          name: 'main',
          image,
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          resources: { limits: { cpu: '500m', memory: '256Mi' } },
          ...(o.privileged ? { securityContext: { privileged: true } } : {}),
          volumeMounts: [
            {
              name: 'kube-api-access',
              readOnly: true,
              mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
            },
          ],
        },
      ],
      serviceAccountName: 'default',
      nodeName: `node-${rng.int(40)}`,
      restartPolicy: 'Always',
    },
  };
}

export function configMapBody(rng: Rng, name: string, ns: string, data: Body): Body {
  return { kind: 'ConfigMap', apiVersion: 'v1', metadata: meta(rng, name, ns), data };
}

export function endpointsBody(rng: Rng, name: string, ns: string): Body {
  const n = 1 + rng.int(4);
  return {
    kind: 'Endpoints',
    apiVersion: 'v1',
    metadata: meta(rng, name, ns, { labels: { app: name } }),
    subsets: [
      {
        addresses: Array.from({ length: n }, (_, i) => ({
          ip: `10.244.${rng.int(40)}.${rng.int(250)}`,
          nodeName: `node-${i}`,
          targetRef: {
            kind: 'Pod',
            namespace: ns,
            name: `${name}-${rng.hex(5)}`,
            uid: randomUuid(rng),
          },
        })),
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ],
  };
}

export function podStatusPatch(rng: Rng, time: string): Body {
  return {
    metadata: { uid: randomUuid(rng) },
    status: {
      conditions: [
        { lastProbeTime: null, lastTransitionTime: time, status: 'True', type: 'Ready' },
      ],
      containerStatuses: [
        {
          containerID: `containerd://${rng.hex(64)}`,
          image: 'docker.io/library/nginx:1.27',
          name: 'main',
          ready: true,
          restartCount: rng.int(3),
          started: true,
          state: { running: { startedAt: time } },
        },
      ],
    },
  };
}

export function bindingBody(rng: Rng, name: string, role: string, user: string): Body {
  return {
    kind: 'ClusterRoleBinding',
    apiVersion: 'rbac.authorization.k8s.io/v1',
    metadata: meta(rng, name, undefined),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
  };
}

export function namespaceBody(rng: Rng, name: string): Body {
  return {
    kind: 'Namespace',
    apiVersion: 'v1',
    metadata: meta(rng, name, undefined, { labels: { 'kubernetes.io/metadata.name': name } }),
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

/** A short metav1.Status, as delete and some errors return. */
export function statusBody(code: number, reason: string): Body {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: code < 300 ? 'Success' : 'Failure',
    ...(code < 300 ? {} : { reason, code }),
  };
}

/** A list response, bounded so rr-heavy lines stay in the tens of KB at most. */
export function listBody(rng: Rng, kind: string, items: number): Body {
  return {
    kind: `${kind}List`,
    apiVersion: 'v1',
    metadata: { resourceVersion: String(1_000_000 + rng.int(9_000_000)) },
    items: Array.from({ length: items }, (_, i) => ({
      metadata: meta(rng, `${kind.toLowerCase()}-${i}`, 'default'),
    })),
  };
}
