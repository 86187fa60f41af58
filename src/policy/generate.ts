import { type CoverageInput, checkCoverage } from './coverage.ts';
import { BUILTIN_RESOURCES, findResourceGroups } from './known-resources.ts';
import {
  type GroupResources,
  type Level,
  levelRank,
  type Policy,
  type PolicyRule,
} from './types.ts';

export type Profile = 'minimal' | 'recommended' | 'forensic';
export const PROFILES: readonly Profile[] = ['minimal', 'recommended', 'forensic'];

/** A generated rule with the comment that explains it in the YAML. */
export interface GeneratedRule {
  readonly rule: PolicyRule;
  readonly comment: string;
  /** Profile rules that only drop noise may be removed when a detection rule needs them. */
  readonly droppable?: boolean;
}

/** A generated policy, ready to render. */
export interface GeneratedPolicy {
  readonly profile: Profile;
  readonly rules: readonly GeneratedRule[];
  readonly policy: Policy;
}

const WRITES = ['create', 'update', 'patch', 'delete', 'deletecollection'];
// Never logged with bodies, whatever a detection rule asks for (collectNeeds skips them):
// before the derived rules, which may match every resource (a rule on
// ka.req.credentials reads the body of any write).
const SECRET_ENTRIES: readonly GroupResources[] = [
  { group: '', resources: ['secrets', 'serviceaccounts/token'] },
  { group: 'authentication.k8s.io', resources: ['tokenreviews'] },
];
// Configmaps: bodies only where a derived rule above reads them.
const CONFIGMAP_ENTRIES: readonly GroupResources[] = [{ group: '', resources: ['configmaps'] }];
const SENSITIVE = new Set(['secrets', 'serviceaccounts/token', 'tokenreviews']);

const NOISE: readonly GeneratedRule[] = [
  {
    rule: { level: 'None', nonResourceURLs: ['/healthz*', '/livez*', '/readyz*', '/version'] },
    comment: 'Health checks and version probes: frequent and uninteresting.',
  },
  {
    rule: {
      level: 'None',
      users: ['system:kube-proxy'],
      verbs: ['watch'],
      resources: [
        { group: '', resources: ['endpoints', 'services'] },
        { group: 'discovery.k8s.io', resources: ['endpointslices'] },
      ],
    },
    comment: 'kube-proxy watches services and endpoints on every node.',
    droppable: true,
  },
  {
    rule: {
      level: 'None',
      userGroups: ['system:nodes'],
      verbs: ['get'],
      resources: [{ group: '', resources: ['nodes', 'nodes/status'] }],
    },
    comment: 'Kubelets read their own Node object all the time.',
    droppable: true,
  },
  {
    rule: {
      level: 'None',
      users: [
        'system:kube-controller-manager',
        'system:kube-scheduler',
        'system:cloud-controller-manager',
      ],
      verbs: ['get', 'update'],
      resources: [{ group: 'coordination.k8s.io', resources: ['leases'] }],
    },
    comment: 'Leader-election lease renewals of the control plane.',
    droppable: true,
  },
  {
    rule: {
      level: 'None',
      resources: [
        { group: '', resources: ['events'] },
        { group: 'events.k8s.io', resources: ['events'] },
      ],
    },
    comment: 'Event objects are high-volume and carry no request of interest.',
    droppable: true,
  },
];

const LEVEL_OF_NEED: Readonly<Record<string, Level>> = {
  request: 'Request',
  response: 'RequestResponse',
};

/** The (verb, group, resource pattern) keys one rule's requirements cover. */
function needKeys(r: CoverageInput['requirements']): string[] {
  const verbs = r.verbs === undefined ? ['*'] : [...r.verbs];
  const resources = r.resources === undefined ? ['*'] : [...r.resources];
  const subs = r.subresources === undefined ? [''] : [...r.subresources];
  const keys: string[] = [];
  for (const res of resources) {
    const group = res === '*' ? '*' : (findResourceGroups(res)[0] ?? '');
    for (const s of subs) {
      const pattern = s === '' ? res : `${res}/${s}`;
      if (SENSITIVE.has(pattern) || SENSITIVE.has(res)) continue;
      for (const v of verbs) keys.push(JSON.stringify([v, group, pattern]));
    }
  }
  return keys;
}

/** A need for every verb of a resource absorbs the per-verb needs it is at least as deep as. */
function absorbPerVerbNeeds(need: Map<string, Level>): void {
  for (const [key, level] of need) {
    const [v, g, p] = JSON.parse(key) as [string, string, string];
    const all = need.get(JSON.stringify(['*', g, p]));
    if (v !== '*' && all !== undefined && (all === 'RequestResponse' || level === 'Request')) {
      need.delete(key);
    }
  }
}

/** (verb, group, resource pattern) → the most detailed level a detection rule needs. */
function collectNeeds(inputs: readonly CoverageInput[]): Map<string, Level> {
  const need = new Map<string, Level>();
  for (const { requirements: r } of inputs) {
    const level = LEVEL_OF_NEED[r.needs];
    if (level === undefined) continue;
    for (const key of needKeys(r)) {
      if (need.get(key) !== 'RequestResponse') need.set(key, level);
    }
  }
  absorbPerVerbNeeds(need);
  return need;
}

/** Rules that give detection rules the request/response bodies they read, deepest first. */
function deriveRules(inputs: readonly CoverageInput[]): GeneratedRule[] {
  const need = collectNeeds(inputs);
  const out: GeneratedRule[] = [];
  for (const level of ['RequestResponse', 'Request'] as const) {
    // resource → verbs, then group resources by identical verb sets.
    const verbsOf = new Map<string, string[]>();
    for (const [key, l] of need) {
      if (l !== level) continue;
      const [v, g, p] = JSON.parse(key) as [string, string, string];
      const rk = JSON.stringify([g, p]);
      verbsOf.set(rk, [...(verbsOf.get(rk) ?? []), v]);
    }
    const byVerbs = new Map<string, [string, string][]>();
    for (const [rk, verbs] of verbsOf) {
      const vk = verbs.includes('*') ? '*' : [...verbs].sort().join(',');
      byVerbs.set(vk, [...(byVerbs.get(vk) ?? []), JSON.parse(rk) as [string, string]]);
    }
    for (const [vk, grs] of [...byVerbs].sort()) {
      const groups = new Map<string, string[]>();
      for (const [g, p] of grs) groups.set(g, [...(groups.get(g) ?? []), p]);
      const resources = [...groups]
        .sort()
        .map(([group, rs]) => (rs.includes('*') ? { group } : { group, resources: rs.sort() }));
      out.push({
        rule: { level, ...(vk === '*' ? {} : { verbs: vk.split(',') }), resources },
        comment: `Detection rules read ${level === 'Request' ? 'request bodies' : 'request and response bodies'} of these requests.`,
      });
    }
  }
  return out;
}

// A derived rule over every group of resources (a detection rule that reads the body of
// any write, such as one on ka.req.credentials).
function coversAllGroups(rule: GeneratedRule['rule']): boolean {
  return rule.resources?.some((r) => r.group === '*' && r.resources === undefined) === true;
}

/**
 * The profile's rule for writes to built-in APIs, without the verbs a derived rule over
 * every group already logs at its level or deeper: that rule comes first, and the verbs
 * it catches would never reach this one.
 */
function profileRules(profile: Profile, derived: readonly GeneratedRule[]): GeneratedRule[] {
  if (profile === 'minimal') return [];
  const resources = [...BUILTIN_RESOURCES.keys()].map((group) => ({ group }));
  const level: Level = profile === 'forensic' ? 'RequestResponse' : 'Request';
  const covered = new Set<string>();
  for (const d of derived) {
    if (!coversAllGroups(d.rule) || levelRank(d.rule.level) < levelRank(level)) continue;
    for (const v of d.rule.verbs ?? WRITES) covered.add(v);
  }
  const verbs = WRITES.filter((v) => !covered.has(v));
  if (verbs.length === 0) return [];
  return [{ rule: { level, verbs, resources }, comment: `Changes to built-in APIs at ${level}.` }];
}

// The forensic profile logs writes with responses: a derived rule over every group is
// raised to that level, so that it does not log built-in writes with less.
function raiseForProfile(profile: Profile, derived: GeneratedRule[]): GeneratedRule[] {
  if (profile !== 'forensic') return derived;
  return derived.map((d) =>
    coversAllGroups(d.rule) && d.rule.level === 'Request'
      ? { ...d, rule: { ...d.rule, level: 'RequestResponse' } }
      : d,
  );
}

function assemble(profile: Profile, parts: readonly GeneratedRule[]): GeneratedPolicy {
  return {
    profile,
    rules: parts,
    policy: {
      apiVersion: 'audit.k8s.io/v1',
      kind: 'Policy',
      omitStages: ['RequestReceived'],
      rules: parts.map((p) => p.rule),
    },
  };
}

/**
 * Builds a policy that logs what the given detection rules need and little more: noise at
 * None, secrets/tokens at Metadata, RequestReceived omitted, a Metadata catch-all. A noise
 * rule that would starve a detection rule is left out.
 */
export function generatePolicy(
  profile: Profile,
  inputs: readonly CoverageInput[] = [],
): GeneratedPolicy {
  let noise = [...NOISE];
  const derived = raiseForProfile(profile, deriveRules(inputs));
  const tail: GeneratedRule[] = [
    {
      rule: { level: 'Metadata', resources: SECRET_ENTRIES },
      comment: 'Secrets and tokens: never log their bodies.',
    },
    ...derived,
    {
      rule: { level: 'Metadata', resources: CONFIGMAP_ENTRIES },
      comment: 'Configmaps: no bodies beyond what detection rules read.',
    },
    ...profileRules(profile, derived),
    { rule: { level: 'Metadata' }, comment: 'Everything else: who did what, without bodies.' },
  ];
  for (;;) {
    const built = assemble(profile, [...noise, ...tail]);
    const blame = new Set(
      checkCoverage(built.policy, inputs).flatMap((c) => c.gaps.map((g) => g.ruleIndex)),
    );
    const keep = noise.filter((n, i) => !(n.droppable === true && blame.has(i)));
    if (keep.length === noise.length) return built;
    noise = keep;
  }
}
