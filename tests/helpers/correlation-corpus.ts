// A generated audit log and a rules file that exercises every correlation kind, for the
// differential tests (tests/engine/correlation/differential.test.ts and the scan/serve ones).

/** mulberry32: small, fast, deterministic for a seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const USERS = [
  'alice',
  'bob',
  'carol',
  'system:serviceaccount:ns1:sa1',
  'system:serviceaccount:ns2:sa2',
];
const VERBS = ['get', 'list', 'create', 'delete'];
const RESOURCES = ['secrets', 'pods', 'serviceaccounts', 'configmaps'];
const NAMESPACES = ['ns1', 'ns2', 'ns3', 'ns4', 'ns5'];
const NAMES = ['sa1', 'sa2', 'web', 'db'];
const IPS = ['10.0.0.1', '10.0.0.2', '192.0.2.7'];

/** Options of generateCorrelationCorpus. */
export interface CorpusOptions {
  readonly seed: number;
  readonly events: number;
  /** Mean gap between events (ms). */
  readonly gapMs?: number;
  /** Events are shuffled by up to this much of event time (ms): within the tolerance. */
  readonly jitterMs?: number;
  /** The first event's time (ms since the epoch). */
  readonly startMs?: number;
}

function stamp(ms: number, micros: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}.${String(micros).padStart(6, '0')}Z`;
}

/**
 * Audit events (one JSON object per entry, in arrival order) from a few users, verbs,
 * resources and namespaces, so that every kind of correlation fires and misses often.
 * Arrival order differs from event-time order by at most `jitterMs`.
 */
export function generateCorrelationCorpus(o: CorpusOptions): Record<string, unknown>[] {
  const rnd = prng(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const gap = o.gapMs ?? 2000;
  const jitter = o.jitterMs ?? 0;
  let t = o.startMs ?? Date.UTC(2026, 2, 2, 10, 0, 0);
  const timed: { at: number; arrive: number; event: Record<string, unknown> }[] = [];
  for (let i = 0; i < o.events; i++) {
    t += Math.floor(rnd() * gap * 2);
    const micros = Math.floor(rnd() * 1_000_000);
    const at = t;
    const user = pick(USERS);
    const verb = pick(VERBS);
    const resource = pick(RESOURCES);
    const namespace = pick(NAMESPACES);
    const name = verb === 'list' ? undefined : pick(NAMES);
    const code = rnd() < 0.3 ? 403 : verb === 'create' ? 201 : 200;
    const event: Record<string, unknown> = {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: 'Metadata',
      auditID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      stage: 'ResponseComplete',
      requestURI: `/api/v1/namespaces/${namespace}/${resource}${name ? `/${name}` : ''}`,
      verb,
      user: { username: user, groups: ['system:authenticated'] },
      sourceIPs: [pick(IPS)],
      userAgent: 'kubectl/v1.30.1',
      objectRef: { resource, namespace, ...(name ? { name } : {}), apiVersion: 'v1' },
      responseStatus: { metadata: {}, code },
      requestReceivedTimestamp: stamp(at, micros),
      stageTimestamp: stamp(at, micros),
    };
    timed.push({ at: at * 1000 + micros / 1000, arrive: at + rnd() * jitter, event });
  }
  return timed.sort((a, b) => a.arrive - b.arrive).map((x) => x.event);
}

/** Rules of every kind over the corpus's events (windows of seconds to minutes). */
export const CORRELATION_CORPUS_RULES = `
- rule: Forbidden Burst
  desc: three forbidden requests by one user within 30s
  correlate:
    type: threshold
    count: 3
    within: 30s
    by: [ka.user.name]
    condition: ka.response.code = 403
  output: "burst user=%ka.user.name n=%correlation.count ids=%correlation.auditids"
  priority: WARNING
  source: k8s_audit
  tags: [test]

- rule: Namespaces Touched
  desc: one user reads secrets in three namespaces within a minute
  correlate:
    type: distinct
    field: ka.target.namespace
    count: 3
    within: 1m
    by: [ka.user.name]
    condition: ka.target.resource = secrets and ka.verb in (get, list)
  output: "spread user=%ka.user.name ns=%correlation.values"
  priority: NOTICE
  source: k8s_audit

- rule: Created Then Used
  desc: a service account created, then acting, within two minutes
  correlate:
    type: sequence
    within: 2m
    steps:
      - name: created
        condition: ka.verb = create and ka.target.resource = serviceaccounts and ka.response.code = 201
        by: ["system:serviceaccount:%ka.target.namespace:%ka.target.name"]
      - name: listed
        condition: ka.verb = list
        by: [ka.user.name]
      - name: deleted
        condition: ka.verb = delete
        by: [ka.user.name]
  output: "sequence sa=%ka.user.name group=%correlation.group"
  priority: ERROR
  source: k8s_audit

- rule: Delete And Create
  desc: one user deletes and creates pods in one namespace within a minute, in any order
  correlate:
    type: unordered
    within: 1m
    by: [ka.user.name, ka.target.namespace]
    steps:
      - name: deleted
        condition: ka.verb = delete and ka.target.resource = pods
      - name: created
        condition: ka.verb = create and ka.target.resource = pods
  output: "churn user=%ka.user.name ns=%ka.target.namespace"
  priority: NOTICE
  source: k8s_audit
  suppress:
    within: 3m
    by: [ka.user.name]

- rule: Configmap Deleted
  desc: a configmap deleted
  condition: ka.verb = delete and ka.target.resource = configmaps
  output: "cm deleted user=%ka.user.name name=%ka.target.name"
  priority: INFO
  source: k8s_audit

- rule: Configmap Deleted
  suppress:
    within: 2m
    by: [ka.user.name]
  override:
    suppress: replace

- rule: Pod Listed
  desc: a plain rule, for ordering against correlated alerts
  condition: ka.verb = list and ka.target.resource = pods and ka.response.code = 200
  output: "pods listed user=%ka.user.name"
  priority: DEBUG
  source: k8s_audit
`;

/**
 * `events` followed by one event an hour after the newest (a pod list by `zz-flush`,
 * which the corpus rules alert on): its time closes every window and moves every waiting
 * match out of the reorder buffer, so a run that keeps its state at the end (serve)
 * owes no alert.
 */
export function withFlushEvent(
  events: readonly Record<string, unknown>[],
): Record<string, unknown>[] {
  let newest = 0;
  for (const e of events) newest = Math.max(newest, Date.parse(e.stageTimestamp as string));
  const at = newest + 3_600_000;
  return [
    ...events,
    {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: 'Metadata',
      auditID: '00000000-0000-4000-8000-ffffffffffff',
      stage: 'ResponseComplete',
      requestURI: '/api/v1/namespaces/ns1/pods',
      verb: 'list',
      user: { username: 'zz-flush', groups: ['system:authenticated'] },
      sourceIPs: ['10.0.0.9'],
      objectRef: { resource: 'pods', namespace: 'ns1', apiVersion: 'v1' },
      responseStatus: { metadata: {}, code: 200 },
      requestReceivedTimestamp: stamp(at, 0),
      stageTimestamp: stamp(at, 0),
    },
  ];
}
