import type { RuleRequirements } from '../engine/requirements.ts';
import { evaluatePolicy, type PolicyRequest } from './checker.ts';
import { CLUSTER_SCOPED, findResourceGroups } from './known-resources.ts';
import { type Level, levelRank, type Policy } from './types.ts';

/** A detection rule to check, reduced to what its condition requires. */
export interface CoverageInput {
  readonly name: string;
  readonly requirements: RuleRequirements;
}

/** Requests a rule needs that the policy does not log with enough detail. */
export interface CoverageGap {
  readonly verb: string;
  readonly apiGroup: string;
  readonly resource: string;
  readonly subresource: string;
  /** What the policy gives those requests. */
  readonly level: Level;
  /** The policy rule responsible (-1: no rule matched, so nothing is logged). */
  readonly ruleIndex: number;
  /** True when the level is enough but every stage the rule reads is omitted. */
  readonly stageOmitted: boolean;
}

/** Coverage of one detection rule. */
export interface RuleCoverage {
  readonly rule: string;
  /** The audit level the rule's fields need. */
  readonly needs: Level;
  readonly fields: readonly string[];
  readonly covered: boolean;
  readonly gaps: readonly CoverageGap[];
}

const NEED_LEVEL: Readonly<Record<RuleRequirements['needs'], Level>> = {
  metadata: 'Metadata',
  request: 'Request',
  response: 'RequestResponse',
};

// Stand-ins for a dimension the condition leaves open: the rule is fed when ANY of them is
// logged, since no policy logs everything (health checks, events…) and none needs to.
const OPEN_VERBS = ['create', 'update', 'patch', 'delete', 'get', 'list', 'watch'];
const OPEN_RESOURCES = [
  'pods',
  'deployments',
  'services',
  'namespaces',
  'serviceaccounts',
  'clusterrolebindings',
];
const PROBE_USER = { name: 'kaudit:coverage-probe', groups: ['system:authenticated'] };

interface Combo {
  readonly verbs: readonly string[];
  readonly resources: readonly string[];
  readonly subresources: readonly string[];
}

/** Constrained dimensions are enumerated (all must be fed); open ones are alternatives. */
function combos(req: RuleRequirements): Combo[] {
  const vs = req.verbs === undefined ? [OPEN_VERBS] : [...req.verbs].map((v) => [v]);
  const rs = req.resources === undefined ? [OPEN_RESOURCES] : [...req.resources].map((r) => [r]);
  const ss = req.subresources === undefined ? [['']] : [...req.subresources].map((s) => [s]);
  return vs.flatMap((verbs) =>
    rs.flatMap((resources) => ss.map((subresources) => ({ verbs, resources, subresources }))),
  );
}

function probe(verb: string, resource: string, subresource: string): PolicyRequest {
  return {
    user: PROBE_USER,
    verb,
    isResourceRequest: true,
    apiGroup: findResourceGroups(resource)[0] ?? '',
    resource,
    subresource,
    namespace: CLUSTER_SCOPED.has(resource) ? '' : 'default',
    name: '',
  };
}

function checkCombo(
  policy: Policy,
  c: Combo,
  need: Level,
  stages: readonly string[],
): CoverageGap | undefined {
  let firstGap: CoverageGap | undefined;
  for (const verb of c.verbs) {
    for (const resource of c.resources) {
      for (const sub of c.subresources) {
        const req = probe(verb, resource, sub);
        const d = evaluatePolicy(policy, req);
        const levelOk = levelRank(d.level) >= levelRank(need);
        const stageOk = stages.some((s) => !d.omitStages.includes(s));
        if (levelOk && stageOk) return undefined;
        firstGap ??= {
          verb,
          apiGroup: req.apiGroup ?? '',
          resource,
          subresource: sub,
          level: d.level,
          ruleIndex: d.ruleIndex,
          stageOmitted: levelOk,
        };
      }
    }
  }
  return firstGap;
}

/**
 * For each detection rule, whether the policy logs the requests its condition requires
 * (verbs × resources × subresources it pins) at the level its fields need, in a stage it
 * reads. Every gap names the policy rule responsible.
 */
export function checkCoverage(policy: Policy, rules: readonly CoverageInput[]): RuleCoverage[] {
  return rules.map(({ name, requirements: req }) => {
    const needs = NEED_LEVEL[req.needs];
    const stages = req.stages === undefined ? ['ResponseComplete'] : [...req.stages];
    const gaps = combos(req).flatMap((c) => checkCombo(policy, c, needs, stages) ?? []);
    return { rule: name, needs, fields: req.fields, covered: gaps.length === 0, gaps };
  });
}
