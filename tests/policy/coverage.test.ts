import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RuleRequirements } from '../../src/engine/requirements.ts';
import { checkCoverage } from '../../src/policy/coverage.ts';
import { readPolicy } from '../../src/policy/read.ts';
import type { Policy } from '../../src/policy/types.ts';

function load(text: string): Policy {
  const r = readPolicy(`apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n${text}`, 'p.yaml');
  assert.ok(r.ok && r.policy, JSON.stringify(r.errors));
  return r.policy;
}

const POD_IMAGE: RuleRequirements = {
  verbs: new Set(['create']),
  resources: new Set(['pods']),
  needs: 'request',
  fields: ['ka.verb', 'ka.target.resource', 'ka.req.pod.containers.image'],
};

test('checkCoverage() reports a ka.req.pod.* rule starved by a Metadata rule for pods, naming that rule', () => {
  const policy = load(
    '  - level: None\n    nonResourceURLs: ["/healthz*"]\n  - level: Metadata\n    resources:\n      - group: ""\n        resources: ["pods"]\n  - level: Request\n',
  );
  const [c] = checkCoverage(policy, [{ name: 'Create Pod With Image', requirements: POD_IMAGE }]);
  assert.ok(c);
  assert.equal(c.covered, false);
  assert.equal(c.needs, 'Request');
  assert.deepEqual(
    c.gaps.map((g) => [g.verb, g.apiGroup, g.resource, g.level, g.ruleIndex, g.stageOmitted]),
    [['create', '', 'pods', 'Metadata', 1, false]],
  );
});

test('checkCoverage() reports ruleIndex -1 when no policy rule matches', () => {
  const policy = load('  - level: Request\n    verbs: ["delete"]\n');
  const [c] = checkCoverage(policy, [{ name: 'r', requirements: POD_IMAGE }]);
  assert.deepEqual(
    c?.gaps.map((g) => [g.level, g.ruleIndex]),
    [['None', -1]],
  );
});

test('checkCoverage() flags a rule whose only stage is omitted', () => {
  const policy = load('  - level: RequestResponse\n    omitStages: ["ResponseComplete"]\n');
  const req: RuleRequirements = { ...POD_IMAGE, stages: new Set(['ResponseComplete']) };
  const [c] = checkCoverage(policy, [{ name: 'r', requirements: req }]);
  assert.deepEqual(
    c?.gaps.map((g) => g.stageOmitted),
    [true],
  );
});

test('checkCoverage() needs every pinned verb and resource, but any value of an open one', () => {
  const policy = load(
    '  - level: None\n    resources:\n      - group: ""\n        resources: ["pods"]\n  - level: RequestResponse\n',
  );
  const pinned: RuleRequirements = {
    verbs: new Set(['create', 'delete']),
    resources: new Set(['pods', 'deployments']),
    needs: 'response',
    fields: [],
  };
  const [c] = checkCoverage(policy, [{ name: 'pinned', requirements: pinned }]);
  assert.deepEqual(c?.gaps.map((g) => `${g.verb} ${g.resource}`).sort(), [
    'create pods',
    'delete pods',
  ]);
  const open: RuleRequirements = { verbs: new Set(['delete']), needs: 'metadata', fields: [] };
  assert.equal(checkCoverage(policy, [{ name: 'open', requirements: open }])[0]?.covered, true);
});
