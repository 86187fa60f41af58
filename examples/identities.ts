// Who talks to the example cluster's apiserver: control plane, kubelets, add-ons, a CI
// pipeline, one human admin, an app, a load balancer, and (in attack-story.ts) intruders.
import type { Identity } from './audit-event.ts';

const K8S = 'v1.31.2 (linux/amd64) kubernetes/5864a46';

const rbac = (binding: string, role: string, subject: string): string =>
  `RBAC: allowed by ClusterRoleBinding "${binding}" of ClusterRole "${role}" to ${subject}`;

export const CONTROLLER_MANAGER: Identity = {
  username: 'system:kube-controller-manager',
  groups: ['system:authenticated'],
  userAgent: `kube-controller-manager/${K8S}/leader-election`,
  ip: '10.20.0.10',
  allowReason: rbac(
    'system:kube-controller-manager',
    'system:kube-controller-manager',
    'User "system:kube-controller-manager"',
  ),
};

export const SCHEDULER: Identity = {
  username: 'system:kube-scheduler',
  groups: ['system:authenticated'],
  userAgent: `kube-scheduler/${K8S}/scheduler`,
  ip: '10.20.0.10',
  allowReason: rbac(
    'system:kube-scheduler',
    'system:kube-scheduler',
    'User "system:kube-scheduler"',
  ),
};

export const NODES = ['cp-1', 'worker-1', 'worker-2', 'worker-3'] as const;

export function kubelet(node: string): Identity {
  const index = NODES.indexOf(node as (typeof NODES)[number]);
  return {
    username: `system:node:${node}`,
    groups: ['system:nodes', 'system:authenticated'],
    userAgent: `kubelet/${K8S}`,
    ip: `10.20.0.${10 + index}`,
  };
}

/** A kube-controller-manager control loop running under its own service account. */
export function controller(name: string): Identity {
  const user = `system:serviceaccount:kube-system:${name}`;
  return {
    username: user,
    groups: [
      'system:serviceaccounts',
      'system:serviceaccounts:kube-system',
      'system:authenticated',
    ],
    userAgent: `kube-controller-manager/${K8S}/${user}`,
    ip: '10.20.0.10',
    allowReason: rbac(
      `system:controller:${name}`,
      `system:controller:${name}`,
      `ServiceAccount "${name}/kube-system"`,
    ),
  };
}

function serviceAccount(ns: string, name: string, userAgent: string, ip: string): Identity {
  return {
    username: `system:serviceaccount:${ns}:${name}`,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
    userAgent,
    ip,
    allowReason: rbac(`${ns}-${name}`, `${ns}-${name}`, `ServiceAccount "${name}/${ns}"`),
  };
}

export const COREDNS = serviceAccount(
  'kube-system',
  'coredns',
  `coredns/v1.11.3 (linux/amd64)`,
  '10.244.1.3',
);
export const PROMETHEUS = serviceAccount(
  'monitoring',
  'prometheus',
  'Prometheus/2.54.1',
  '10.244.2.9',
);
export const GRAFANA = serviceAccount('monitoring', 'grafana', 'Grafana/11.2.0', '10.244.2.17');
export const SHOP_APP = serviceAccount('shop', 'shop-web', 'shop-web/1.4.2', '10.244.3.21');

export function kubeProxy(node: string): Identity {
  return {
    ...serviceAccount('kube-system', 'kube-proxy', `kube-proxy/${K8S}`, kubelet(node).ip),
  };
}

export const CI_DEPLOYER: Identity = {
  ...serviceAccount('ci', 'deployer', `kubectl/${K8S}`, '10.20.5.40'),
  allowReason: rbac('ci-deployer', 'cluster-admin', 'ServiceAccount "deployer/ci"'),
};

export const ADMIN: Identity = {
  username: 'kubernetes-admin',
  groups: ['kubeadm:cluster-admins', 'system:authenticated'],
  userAgent: `kubectl/${K8S}`,
  ip: '10.8.0.6',
  allowReason: rbac('kubeadm:cluster-admins', 'cluster-admin', 'Group "kubeadm:cluster-admins"'),
};

export const LB_PROBE: Identity = {
  username: 'system:anonymous',
  groups: ['system:unauthenticated'],
  userAgent: 'Go-http-client/1.1',
  ip: '10.20.0.2',
  allowReason: rbac(
    'system:public-info-viewer',
    'system:public-info-viewer',
    'Group "system:unauthenticated"',
  ),
};
