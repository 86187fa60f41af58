import {
  bindingBody,
  configMapBody,
  endpointsBody,
  leaseBody,
  listBody,
  namespaceBody,
  nodeStatusPatch,
  podBody,
  podStatusPatch,
  statusBody,
} from './bodies.ts';
import type { Actor, RequestSpec } from './event.ts';
import type { Rng } from './prng.ts';

const K8S = 'kubernetes/55b83c9';
const AUTH = 'system:authenticated';

function kubelet(rng: Rng): Actor {
  const n = rng.int(40);
  return {
    username: `system:node:node-${n}`,
    groups: ['system:nodes', AUTH],
    userAgent: `kubelet/v1.29.4 (linux/amd64) ${K8S}`,
    ip: `10.0.1.${10 + n}`,
  };
}

function controller(rng: Rng): Actor {
  const name = rng.pick([
    'endpoint-controller',
    'endpointslice-controller',
    'replicaset-controller',
    'deployment-controller',
    'job-controller',
    'namespace-controller',
  ]);
  return {
    username: `system:serviceaccount:kube-system:${name}`,
    groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', AUTH],
    userAgent: `kube-controller-manager/v1.29.4 (linux/amd64) ${K8S}/system:serviceaccount:kube-system:${name}`,
    ip: '10.0.0.2',
  };
}

const HUMANS = ['alice@example.com', 'bob@example.com', 'carol@example.com', 'dev-ci'];

export function human(rng: Rng): Actor {
  return {
    username: rng.pick(HUMANS),
    groups: ['developers', AUTH],
    userAgent: `kubectl/v1.30.1 (linux/amd64) kubernetes/7c4de8e`,
    ip: `192.168.7.${rng.int(200)}`,
  };
}

const ANONYMOUS: Actor = {
  username: 'system:anonymous',
  groups: ['system:unauthenticated'],
  userAgent: 'curl/8.5.0',
  ip: '203.0.113.50',
};

const NAMESPACES = ['default', 'payments', 'web', 'monitoring', 'kube-system'];
const WATCHED = ['pods', 'configmaps', 'services', 'endpoints', 'nodes', 'secrets', 'namespaces'];

function watchUri(rng: Rng, base: string): string {
  const rv = 1_000_000 + rng.int(9_000_000);
  return `${base}?allowWatchBookmarks=true&resourceVersion=${rv}&timeout=7m${rng.int(60)}s&timeoutSeconds=${400 + rng.int(200)}&watch=true`;
}

function nsBase(resource: string, ns: string | undefined, group = ''): string {
  const root = group === '' ? '/api/v1' : `/apis/${group}/v1`;
  return ns === undefined ? `${root}/${resource}` : `${root}/namespaces/${ns}/${resource}`;
}

type Make = (rng: Rng, t: string) => RequestSpec;

function leaseUpdate(rng: Rng, t: string): RequestSpec {
  const a = kubelet(rng);
  const node = a.username.slice('system:node:'.length);
  const body = leaseBody(rng, node, t);
  return {
    actor: a,
    verb: 'update',
    resource: 'leases',
    namespace: 'kube-node-lease',
    name: node,
    apiGroup: 'coordination.k8s.io',
    uri: `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node}?timeout=10s`,
    code: 200,
    request: body,
    response: body,
  };
}

function leaseGet(rng: Rng): RequestSpec {
  const a = kubelet(rng);
  const node = a.username.slice('system:node:'.length);
  return {
    actor: a,
    verb: 'get',
    resource: 'leases',
    namespace: 'kube-node-lease',
    name: node,
    apiGroup: 'coordination.k8s.io',
    uri: `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node}?timeout=10s`,
    code: 200,
    response: leaseBody(rng, node, '2026-11-02T10:00:00.000000Z'),
  };
}

function watchOrList(rng: Rng): RequestSpec {
  const resource = rng.pick(WATCHED);
  const clusterScoped = resource === 'nodes' || resource === 'namespaces';
  const ns = clusterScoped ? undefined : rng.pick([undefined, ...NAMESPACES]);
  const watch = rng.next() < 0.6;
  const base = nsBase(resource, ns);
  return {
    actor: rng.next() < 0.5 ? kubelet(rng) : controller(rng),
    verb: watch ? 'watch' : 'list',
    resource,
    ...(ns !== undefined ? { namespace: ns } : {}),
    uri: watch ? watchUri(rng, base) : `${base}?limit=500&resourceVersion=0`,
    code: 200,
    response: listBody(rng, resource === 'pods' ? 'Pod' : 'Item', 1 + rng.int(3)),
  };
}

function getObject(rng: Rng): RequestSpec {
  const resource = rng.weighted<string>([
    [5, 'pods'],
    [4, 'configmaps'],
    [2, 'serviceaccounts'],
    [1, 'secrets'],
  ]);
  const ns = rng.pick(NAMESPACES);
  const name = `${resource.slice(0, -1)}-${rng.hex(5)}`;
  return {
    actor: kubelet(rng),
    verb: 'get',
    resource,
    namespace: ns,
    name,
    uri: `${nsBase(resource, ns)}/${name}`,
    code: rng.next() < 0.9 ? 200 : 404,
  };
}

function statusPatch(rng: Rng, t: string): RequestSpec {
  const a = kubelet(rng);
  if (rng.next() < 0.5) {
    const node = a.username.slice('system:node:'.length);
    return {
      actor: a,
      verb: 'patch',
      resource: 'nodes',
      subresource: 'status',
      name: node,
      uri: `/api/v1/nodes/${node}/status?timeout=10s`,
      code: 200,
      request: nodeStatusPatch(rng, t),
    };
  }
  const ns = rng.pick(NAMESPACES);
  const name = `web-${rng.hex(10)}-${rng.hex(5)}`;
  return {
    actor: a,
    verb: 'patch',
    resource: 'pods',
    subresource: 'status',
    namespace: ns,
    name,
    uri: `/api/v1/namespaces/${ns}/pods/${name}/status`,
    code: 200,
    request: podStatusPatch(rng, t),
  };
}

function endpointsUpdate(rng: Rng): RequestSpec {
  const ns = rng.pick(NAMESPACES);
  const name = rng.pick(['web', 'api', 'redis', 'kube-dns', 'metrics']);
  const body = endpointsBody(rng, name, ns);
  return {
    actor: controller(rng),
    verb: 'update',
    resource: 'endpoints',
    namespace: ns,
    name,
    uri: `/api/v1/namespaces/${ns}/endpoints/${name}`,
    code: 200,
    request: body,
    response: body,
  };
}

function healthCheck(rng: Rng): RequestSpec {
  const path = rng.pick(['/healthz', '/livez', '/readyz', '/readyz?verbose=1']);
  return {
    actor: { ...ANONYMOUS, userAgent: `kube-probe/1.29`, ip: '10.0.0.1' },
    verb: 'get',
    uri: path,
    code: 200,
    reason: '',
  };
}

function humanActivity(rng: Rng): RequestSpec {
  const a = human(rng);
  const ns = rng.pick(NAMESPACES);
  if (rng.next() < 0.7) {
    return {
      actor: a,
      verb: 'list',
      resource: 'pods',
      namespace: ns,
      uri: `/api/v1/namespaces/${ns}/pods?limit=500`,
      code: 200,
      response: listBody(rng, 'Pod', 2),
    };
  }
  const name = `settings-${rng.hex(4)}`;
  const body = configMapBody(rng, name, ns, { LOG_LEVEL: 'info', FEATURE_X: 'on' });
  return {
    actor: a,
    verb: 'update',
    resource: 'configmaps',
    namespace: ns,
    name,
    uri: `/api/v1/namespaces/${ns}/configmaps/${name}?fieldManager=kubectl-edit`,
    code: 200,
    request: body,
    response: body,
  };
}

function forbidden(rng: Rng): RequestSpec {
  const ns = rng.pick(NAMESPACES);
  return {
    actor: controller(rng),
    verb: 'list',
    resource: 'secrets',
    namespace: ns,
    uri: `/api/v1/namespaces/${ns}/secrets?limit=500`,
    code: 403,
    reason: '',
    response: statusBody(403, 'Forbidden'),
  };
}

/** Busy-cluster traffic by weight (percent of non-attack events). */
export const BUSY_TRAFFIC: readonly (readonly [number, Make])[] = [
  [24, leaseUpdate],
  [8, leaseGet],
  [16, watchOrList],
  [12, getObject],
  [16, statusPatch],
  [10, endpointsUpdate],
  [6, healthCheck],
  [5, humanActivity],
  [3, forbidden],
];

/** Requests that Falco's k8s_audit rules alert on. */
export const ATTACKS: readonly Make[] = [
  (rng) => {
    const name = `debug-${rng.hex(5)}`;
    return {
      actor: human(rng),
      verb: 'create',
      resource: 'pods',
      namespace: 'default',
      name,
      uri: '/api/v1/namespaces/default/pods?fieldManager=kubectl-run',
      code: 201,
      request: podBody(rng, name, 'default', { privileged: true, image: 'alpine:3.20' }),
      response: podBody(rng, name, 'default', { privileged: true, image: 'alpine:3.20' }),
    };
  },
  (rng) => {
    const name = `web-${rng.hex(5)}`;
    return {
      actor: human(rng),
      verb: 'create',
      resource: 'pods',
      subresource: rng.pick(['exec', 'attach']),
      namespace: 'payments',
      name,
      stage: 'ResponseStarted',
      uri: `/api/v1/namespaces/payments/pods/${name}/exec?command=sh&container=main&stdin=true&stdout=true&tty=true`,
      code: 101,
    };
  },
  (rng) => ({
    actor: human(rng),
    verb: 'create',
    resource: 'clusterrolebindings',
    name: 'backdoor-admin',
    apiGroup: 'rbac.authorization.k8s.io',
    uri: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings?fieldManager=kubectl-create',
    code: 201,
    request: bindingBody(rng, 'backdoor-admin', 'cluster-admin', 'mallory'),
  }),
  (rng) => {
    const name = `creds-${rng.hex(4)}`;
    return {
      actor: human(rng),
      verb: 'create',
      resource: 'configmaps',
      namespace: 'web',
      name,
      uri: '/api/v1/namespaces/web/configmaps?fieldManager=kubectl-create',
      code: 201,
      request: configMapBody(rng, name, 'web', {
        'credentials.ini': `[default]\naws_access_key_id = AKIA${rng.hex(16).toUpperCase()}\n`,
      }),
    };
  },
  () => ({
    actor: ANONYMOUS,
    verb: 'list',
    resource: 'namespaces',
    uri: '/api/v1/namespaces',
    code: 200,
    reason: '',
  }),
  (rng) => {
    const name = `tmp-${rng.hex(4)}`;
    const del = rng.next() < 0.5;
    return {
      actor: human(rng),
      verb: del ? 'delete' : 'create',
      resource: 'namespaces',
      name,
      uri: del ? `/api/v1/namespaces/${name}` : '/api/v1/namespaces?fieldManager=kubectl-create',
      code: del ? 200 : 201,
      request: namespaceBody(rng, name),
    };
  },
];
