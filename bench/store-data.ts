// Seeded alerts for the store benchmark: ~60 rules with a skewed frequency (a few noisy
// rules, a long tail), 200 namespaces and 500 users also skewed, spread evenly over a
// span of days ending at END_MS, each with a small audit event (~700 bytes).
import type { Alert } from '../src/engine/index.ts';
import { PRIORITIES } from '../src/rules/index.ts';
import { createRng } from './gen/prng.ts';

export const SPAN_DAYS = 30;
/** 2026-11-01T00:00:00Z */
export const END_MS = 1_793_491_200_000;

const VERBS = ['get', 'list', 'create', 'update', 'patch', 'delete', 'watch'];
const RESOURCES = [
  'pods',
  'pods/exec',
  'secrets',
  'configmaps',
  'deployments',
  'roles',
  'rolebindings',
  'serviceaccounts',
  'pods/log',
  'nodes',
];
const RULES = Array.from({ length: 60 }, (_, i) => `Rule ${i}`);
const TAGS_PERSISTENCE = ['k8s', 'mitre_persistence'];
const TAGS_EXECUTION = ['k8s', 'mitre_execution'];
/** One in this many alerts carries the rare search word. */
export const NEEDLE_EVERY = 1_000_000;

/** `n` alerts over the `days` days before END_MS. */
export function* generateAlerts(n: number, seed: number, days = SPAN_DAYS): Generator<Alert> {
  const r = createRng(seed).next;
  const spanMs = days * 86_400_000;
  const stepMs = spanMs / n;
  // Time in ms as a double plus a ns remainder: BigInt arithmetic per alert cost more
  // than the rest of the generation. The ISO text is remade once per second.
  let tMs = END_MS - spanMs;
  let isoSecond = -1;
  let isoPrefix = '';
  for (let i = 0; i < n; i++) {
    tMs += r() * 2 * stepMs;
    const ms = Math.floor(tMs);
    const subNs = Math.floor((tMs - ms) * 1e6);
    const timeNs = `${ms}${String(subNs).padStart(6, '0')}`;
    const sec = Math.floor(ms / 1000);
    if (sec !== isoSecond) {
      isoSecond = sec;
      isoPrefix = new Date(sec * 1000).toISOString().slice(0, 19);
    }
    const iso = `${isoPrefix}.${String(ms % 1000).padStart(3, '0')}${String(subNs).padStart(6, '0')}Z`;
    const ruleNo = Math.floor(60 * r() ** 3);
    const ns = `ns-${Math.floor(200 * r() ** 2)}`;
    const user = `user-${Math.floor(500 * r() ** 2)}`;
    const verb = VERBS[Math.floor(r() * VERBS.length)] as string;
    const resource = RESOURCES[Math.floor(r() * RESOURCES.length)] as string;
    const slash = resource.indexOf('/');
    const res = slash < 0 ? resource : resource.slice(0, slash);
    const sub = slash < 0 ? undefined : resource.slice(slash + 1);
    const name = `obj-${Math.floor(r() * 100000)}`;
    const needle = i % NEEDLE_EVERY === 4242 ? ' needle-4242' : '';
    const auditID = `${Math.floor(r() * 2 ** 32)
      .toString(16)
      .padStart(8, '0')}-${i.toString(16).padStart(12, '0')}`;
    const ip = `10.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`;
    yield {
      rule: RULES[ruleNo] as string,
      priority: PRIORITIES[ruleNo % 8] ?? 'Debug',
      source: 'k8s_audit',
      tags: ruleNo % 5 === 0 ? TAGS_PERSISTENCE : TAGS_EXECUTION,
      timeNs,
      message: `${verb} ${resource} ${name} by ${user} in ${ns}${needle}`,
      outputFields: {
        'ka.user.name': user,
        'ka.target.namespace': ns,
        'ka.target.name': name,
        'ka.verb': verb,
      },
      hostname: 'bench',
      event: {
        kind: 'Event',
        apiVersion: 'audit.k8s.io/v1',
        level: 'Metadata',
        auditID,
        stage: 'ResponseComplete',
        requestURI: `/api/v1/namespaces/${ns}/${res}/${name}${sub ? `/${sub}` : ''}`,
        verb,
        user: { username: user, groups: ['system:authenticated'] },
        sourceIPs: [ip],
        userAgent: 'kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46',
        objectRef: {
          resource: res,
          namespace: ns,
          name,
          apiVersion: 'v1',
          ...(sub ? { subresource: sub } : {}),
        },
        responseStatus: { metadata: {}, code: 200 },
        requestReceivedTimestamp: iso,
        stageTimestamp: iso,
        annotations: {
          'authorization.k8s.io/decision': 'allow',
          'authorization.k8s.io/reason': '',
        },
      },
    };
  }
}
