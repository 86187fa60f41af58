import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluatePolicy, type PolicyRequest } from '../../src/policy/checker.ts';
import { readPolicy } from '../../src/policy/read.ts';

// Protects the resourceNames selector of the policy checker (src/policy/checker.ts): only
// 2 of the apiserver's 115 vectors use resourceNames, both with a name that matches, so a
// checker that ignored the selector passed them all.
const POLICY = `
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: None
    resources:
      - group: ""
        resources: ["configmaps"]
        resourceNames: ["kube-root-ca.crt", "cluster-info"]
  - level: RequestResponse
    resources:
      - group: ""
        resources: ["secrets"]
        resourceNames: ["watched"]
  - level: Metadata
`;

function levelFor(resource: string, name: string | undefined): string {
  const parsed = readPolicy(POLICY, 'policy.yaml');
  assert.ok(parsed.ok && parsed.policy !== undefined, JSON.stringify(parsed.errors));
  const req: PolicyRequest = {
    user: { name: 'alice', groups: ['system:authenticated'] },
    verb: 'get',
    isResourceRequest: true,
    namespace: 'default',
    apiGroup: '',
    resource,
    subresource: '',
    ...(name === undefined ? {} : { name }),
  };
  return evaluatePolicy(parsed.policy, req).level;
}

test('a rule with resourceNames matches only the named objects', () => {
  assert.equal(levelFor('configmaps', 'kube-root-ca.crt'), 'None');
  assert.equal(levelFor('configmaps', 'cluster-info'), 'None');
  assert.equal(levelFor('secrets', 'watched'), 'RequestResponse');
});

test('a rule with resourceNames does not match other names, nor a request without a name', () => {
  assert.equal(levelFor('configmaps', 'app-config'), 'Metadata');
  assert.equal(levelFor('configmaps', 'kube-root-ca.crt.bak'), 'Metadata');
  assert.equal(levelFor('configmaps', undefined), 'Metadata', 'a list has no name');
  assert.equal(levelFor('secrets', 'other'), 'Metadata');
});
