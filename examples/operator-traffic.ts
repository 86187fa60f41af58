// People and pipelines on the example cluster: the admin's kubectl session and the CI
// rollout of shop-web (which puts a cloud key into a ConfigMap by mistake).
import type { EventFactory, Target, TimedEvent } from './audit-event.ts';
import { ADMIN, CI_DEPLOYER, controller, kubelet, SCHEDULER } from './identities.ts';

const MIN = 60_000;
const SHOP_IMAGE_NEW = 'ghcr.io/example/shop-web:1.5.0';
const SHOP_POD = 'shop-web-6c8d9f7b54-x2k9p';

function concat(list: TimedEvent[][]): TimedEvent[] {
  return list.flat();
}

/** kubectl get/describe/logs/apply by the admin, each request logged from RequestReceived. */
export function adminSession(f: EventFactory, at: number): TimedEvent[] {
  const req = (
    dt: number,
    verb: string,
    target: Target,
    extra: Partial<Parameters<EventFactory['request']>[0]> = {},
  ) => f.request({ at: at + dt, who: ADMIN, verb, target, received: true, ...extra });
  const deploy: Target = {
    resource: 'deployments',
    namespace: 'shop',
    name: 'shop-web',
    group: 'apps',
  };
  return concat([
    req(0, 'list', { resource: 'pods', namespace: 'shop' }, { query: 'limit=500' }),
    req(9_000, 'list', { resource: 'nodes' }, { query: 'limit=500' }),
    req(31_000, 'get', deploy),
    req(
      31_200,
      'list',
      { resource: 'replicasets', namespace: 'shop', group: 'apps' },
      { query: 'labelSelector=app%3Dshop-web' },
    ),
    req(
      31_400,
      'list',
      { resource: 'events', namespace: 'shop' },
      { query: 'fieldSelector=involvedObject.name%3Dshop-web' },
    ),
    req(
      75_000,
      'get',
      { resource: 'pods', namespace: 'shop', name: SHOP_POD, subresource: 'log' },
      { query: 'container=web&tailLines=100' },
    ),
    req(7 * MIN, 'get', { resource: 'configmaps', namespace: 'shop', name: 'shop-feature-flags' }),
    req(
      7 * MIN + 300,
      'patch',
      { resource: 'configmaps', namespace: 'shop', name: 'shop-feature-flags' },
      {
        level: 'Request',
        query: 'fieldManager=kubectl-client-side-apply&fieldValidation=Strict',
        requestObject: { data: { checkout_v2: 'true', banner: 'spring-sale' } },
      },
    ),
    req(48 * MIN, 'list', { resource: 'pods', namespace: 'shop' }, { query: 'limit=500' }),
    req(48 * MIN + 5_000, 'get', { resource: 'nodes', name: 'worker-2' }),
    // Tidying up after the release: the staging namespace goes.
    req(52 * MIN, 'delete', { resource: 'namespaces', name: 'shop-staging' }),
  ]);
}

function shopPod(name: string, image: string): Record<string, unknown> {
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: {
      generateName: 'shop-web-7d9c8b6f5-',
      namespace: 'shop',
      labels: { app: 'shop-web', 'pod-template-hash': '7d9c8b6f5' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'shop-web-7d9c8b6f5',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      ...(name === '' ? {} : { name }),
    },
    spec: {
      serviceAccountName: 'shop-web',
      securityContext: { runAsNonRoot: true, runAsUser: 10001 },
      containers: [
        {
          name: 'web',
          image,
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          envFrom: [{ configMapRef: { name: 'shop-web-config' } }],
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
          resources: { requests: { cpu: '100m', memory: '128Mi' } },
        },
      ],
    },
  };
}

/** The CI pipeline applies a config and a new image; the controllers roll it out. */
export function ciRollout(f: EventFactory, random: () => number, at: number): TimedEvent[] {
  const ci = (
    dt: number,
    verb: string,
    target: Target,
    extra: Partial<Parameters<EventFactory['request']>[0]> = {},
  ) => f.request({ at: at + dt, who: CI_DEPLOYER, verb, target, received: true, ...extra });
  const deploy: Target = {
    resource: 'deployments',
    namespace: 'shop',
    name: 'shop-web',
    group: 'apps',
  };
  const cm: Target = { resource: 'configmaps', namespace: 'shop', name: 'shop-web-config' };
  const rs = controller('replicaset-controller');
  const suffix = (): string =>
    Array.from({ length: 5 }, () => 'bcdfghjklmnpqrstvwxz2456789'[Math.floor(random() * 26)]).join(
      '',
    );
  const newPods = [`shop-web-7d9c8b6f5-${suffix()}`, `shop-web-7d9c8b6f5-${suffix()}`];
  const parts: TimedEvent[][] = [
    ci(0, 'get', cm, { code: 404 }),
    // The mistake the example wants caught: a cloud key pasted into a ConfigMap.
    ci(400, 'create', cm, {
      level: 'Request',
      query: 'fieldManager=kubectl-client-side-apply&fieldValidation=Strict',
      requestObject: {
        kind: 'ConfigMap',
        apiVersion: 'v1',
        metadata: { name: 'shop-web-config', namespace: 'shop' },
        data: {
          LOG_LEVEL: 'info',
          S3_BUCKET: 'shop-assets-prod',
          AWS_ACCESS_KEY_ID: 'AKIA2E0A8F3B244C9986',
          AWS_SECRET_ACCESS_KEY: 'q7Nw3cXb+UvB1mD0yE5sZk8LrT2hJfA9pGiWoC4e',
        },
      },
    }),
    ci(900, 'get', deploy),
    ci(1_300, 'patch', deploy, {
      level: 'Request',
      query: 'fieldManager=kubectl-client-side-apply&fieldValidation=Strict',
      requestObject: {
        spec: { template: { spec: { containers: [{ name: 'web', image: SHOP_IMAGE_NEW }] } } },
      },
    }),
    f.request({
      at: at + 1_400,
      who: controller('deployment-controller'),
      verb: 'create',
      level: 'Request',
      target: { resource: 'replicasets', namespace: 'shop', group: 'apps' },
      requestObject: {
        kind: 'ReplicaSet',
        apiVersion: 'apps/v1',
        metadata: { name: 'shop-web-7d9c8b6f5', namespace: 'shop' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'shop-web', 'pod-template-hash': '7d9c8b6f5' } },
          template: shopPod('', SHOP_IMAGE_NEW),
        },
      },
    }),
  ];
  newPods.forEach((name, i) => {
    const t = at + 1_600 + i * 20_000;
    parts.push(
      f.request({
        at: t,
        who: rs,
        verb: 'create',
        level: 'RequestResponse',
        target: { resource: 'pods', namespace: 'shop' },
        requestObject: shopPod('', SHOP_IMAGE_NEW),
        responseObject: shopPod(name, SHOP_IMAGE_NEW),
      }),
      f.request({
        at: t + 30,
        who: SCHEDULER,
        verb: 'create',
        level: 'Request',
        target: { resource: 'pods', namespace: 'shop', name, subresource: 'binding' },
        requestObject: {
          kind: 'Binding',
          apiVersion: 'v1',
          metadata: { name, namespace: 'shop' },
          target: { kind: 'Node', name: i === 0 ? 'worker-1' : 'worker-3' },
        },
      }),
      f.request({
        at: t + 4_000,
        who: kubelet(i === 0 ? 'worker-1' : 'worker-3'),
        verb: 'patch',
        level: 'Request',
        target: { resource: 'pods', namespace: 'shop', name, subresource: 'status' },
        requestObject: {
          status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
        },
      }),
      f.request({
        at: t + 12_000,
        who: rs,
        verb: 'delete',
        target: {
          resource: 'pods',
          namespace: 'shop',
          name: i === 0 ? SHOP_POD : 'shop-web-6c8d9f7b54-q7m4t',
        },
      }),
    );
  });
  for (let i = 0; i < 6; i++) parts.push(ci(3_000 + i * 8_000, 'get', deploy));
  return concat(parts);
}
