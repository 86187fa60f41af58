// An hour of ordinary traffic on a four-node cluster: leader election, node heartbeats,
// watches, monitoring scrapes, load-balancer probes, a misconfigured app getting 403s,
// plus (operator-traffic.ts) an admin looking around and a CI rollout of shop-web.
import type { EventFactory, Target, TimedEvent } from './audit-event.ts';
import {
  CONTROLLER_MANAGER,
  COREDNS,
  controller,
  kubelet,
  kubeProxy,
  LB_PROBE,
  NODES,
  PROMETHEUS,
  SCHEDULER,
  SHOP_APP,
} from './identities.ts';
import { adminSession, ciRollout } from './operator-traffic.ts';

const MIN = 60_000;
const lease = (ns: string, name: string): Target => ({
  resource: 'leases',
  namespace: ns,
  name,
  group: 'coordination.k8s.io',
});

/** Emits every `periodMs` from `start` (plus jitter) until `end`. */
function every(
  start: number,
  end: number,
  periodMs: number,
  random: () => number,
  emit: (at: number, i: number) => void,
): void {
  for (let t = start, i = 0; t < end; t += periodMs, i++) emit(t + Math.floor(random() * 900), i);
}

export function generateBackground(
  f: EventFactory,
  random: () => number,
  start: number,
): TimedEvent[] {
  const out: TimedEvent[] = [];
  const end = start + 60 * MIN;
  const add = (events: TimedEvent[]): void => {
    out.push(...events);
  };
  every(start, end, 10_000, random, (at) => {
    add(
      f.request({
        at,
        who: CONTROLLER_MANAGER,
        verb: 'update',
        target: lease('kube-system', 'kube-controller-manager'),
      }),
    );
    add(
      f.request({
        at: at + 4_000,
        who: SCHEDULER,
        verb: 'update',
        target: lease('kube-system', 'kube-scheduler'),
      }),
    );
  });
  NODES.forEach((node, n) => {
    every(start + n * 7_000, end, 40_000, random, (at) => {
      add(
        f.request({
          at,
          who: kubelet(node),
          verb: 'update',
          target: lease('kube-node-lease', node),
        }),
      );
    });
    every(start + n * 31_000, end, 5 * MIN, random, (at) => {
      const heartbeat = `${new Date(at).toISOString().slice(0, 19)}Z`;
      add(
        f.request({
          at,
          who: kubelet(node),
          verb: 'patch',
          level: 'Request',
          query: 'fieldManager=kubelet',
          target: { resource: 'nodes', name: node, subresource: 'status' },
          requestObject: {
            status: {
              conditions: [
                {
                  type: 'Ready',
                  status: 'True',
                  lastHeartbeatTime: heartbeat,
                  reason: 'KubeletReady',
                },
              ],
            },
          },
        }),
      );
    });
    every(start + n * 53_000, end, 8 * MIN, random, (at) => {
      const proxy = kubeProxy(node);
      add(
        f.request({
          at,
          who: proxy,
          verb: 'watch',
          target: { resource: 'endpointslices', group: 'discovery.k8s.io' },
          query:
            'allowWatchBookmarks=true&resourceVersion=48211&timeout=7m41s&timeoutSeconds=461&watch=true',
          startedCode: 200,
          durationMs: 461_000,
        }),
      );
    });
  });
  every(start + 11_000, end, 9 * MIN, random, (at) => {
    add(
      f.request({
        at,
        who: COREDNS,
        verb: 'watch',
        target: { resource: 'services' },
        query:
          'allowWatchBookmarks=true&resourceVersion=48190&timeout=8m57s&timeoutSeconds=537&watch=true',
        startedCode: 200,
        durationMs: 537_000,
      }),
    );
  });
  every(start + 2_000, end, 30_000, random, (at) => {
    add(
      f.request({
        at,
        who: PROMETHEUS,
        verb: 'list',
        target: { resource: 'pods' },
        query: 'limit=500&resourceVersion=0',
      }),
    );
    add(
      f.request({
        at: at + 150,
        who: PROMETHEUS,
        verb: 'list',
        target: { resource: 'nodes' },
        query: 'limit=500&resourceVersion=0',
      }),
    );
  });
  every(start + 5_000, end, 20_000, random, (at, i) => {
    const uri = i % 3 === 2 ? '/livez' : '/readyz';
    add(f.request({ at, who: LB_PROBE, verb: 'get', uri }));
  });
  every(start + 40_000, end, 2 * MIN, random, (at) => {
    add(
      f.request({
        at,
        who: SHOP_APP,
        verb: 'list',
        target: { resource: 'pods', namespace: 'shop' },
        query: 'labelSelector=app%3Dshop-web',
        code: 403,
      }),
    );
  });
  every(start + 90_000, end, 3 * MIN, random, (at) => {
    add(
      f.request({
        at,
        who: controller('endpointslice-controller'),
        verb: 'update',
        level: 'Request',
        target: {
          resource: 'endpointslices',
          namespace: 'shop',
          name: 'shop-web-5hq2x',
          group: 'discovery.k8s.io',
        },
        requestObject: {
          kind: 'EndpointSlice',
          apiVersion: 'discovery.k8s.io/v1',
          metadata: { name: 'shop-web-5hq2x', namespace: 'shop' },
          addressType: 'IPv4',
          endpoints: [
            { addresses: ['10.244.3.21'], conditions: { ready: true } },
            { addresses: ['10.244.1.14'], conditions: { ready: true } },
          ],
        },
      }),
    );
  });
  ['worker-1', 'worker-3'].forEach((node, n) => {
    every(start + n * 97_000, end, 10 * MIN, random, (at) => {
      add(
        f.request({
          at,
          who: kubelet(node),
          verb: 'get',
          target: { resource: 'secrets', namespace: 'shop', name: 'shop-web-tls' },
        }),
      );
      add(
        f.request({
          at: at + 40,
          who: kubelet(node),
          verb: 'get',
          target: { resource: 'configmaps', namespace: 'shop', name: 'kube-root-ca.crt' },
        }),
      );
    });
  });
  add(adminSession(f, start + 5 * MIN));
  add(ciRollout(f, random, start + 20 * MIN));
  return out;
}
