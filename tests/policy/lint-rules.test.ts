import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LINT_RULES } from '../../src/policy/lint.ts';
import { keys, lintText, policyText } from './lint-helpers.ts';

const CATCH_ALL = '  - level: Metadata\n';

function at(text: string, code: string): [string, number, number][] {
  return lintText(text)
    .filter((f) => f.code === code)
    .map((f) => [f.path, f.position.line, f.position.column]);
}

test('LINT_RULES have unique codes and a severity each', () => {
  const codes = LINT_RULES.map((r) => r.code);
  assert.equal(new Set(codes).size, codes.length);
  for (const r of LINT_RULES) assert.ok(['error', 'warning', 'info'].includes(r.severity));
});

test('shadowed-rule points at the unreachable rule and names the broader one', () => {
  const text = policyText(
    '  - level: None\n    verbs: ["get", "list"]\n  - level: Request\n    verbs: ["get"]\n    resources:\n      - group: ""\n        resources: ["pods"]\n' +
      CATCH_ALL,
  );
  assert.deepEqual(at(text, 'shadowed-rule'), [['rules[1]', 7, 5]]);
  assert.equal(lintText(text).find((f) => f.code === 'shadowed-rule')?.relatedRule, 0);
});

test('shadowed-rule is not reported when the earlier rule selects users the later one does not', () => {
  const text = policyText(
    `  - level: None\n    users: ["alice"]\n  - level: Request\n    verbs: ["get"]\n${CATCH_ALL}`,
  );
  assert.deepEqual(at(text, 'shadowed-rule'), []);
});

test('shadowed-rule understands resource wildcards: "pods/*" covers pods/log', () => {
  const text = policyText(
    '  - level: None\n    resources:\n      - group: ""\n        resources: ["pods/*"]\n  - level: Request\n    resources:\n      - group: ""\n        resources: ["pods/log", "pods"]\n' +
      CATCH_ALL,
  );
  assert.deepEqual(at(text, 'shadowed-rule'), [['rules[1]', 9, 5]]);
});

test('duplicate-rule is reported instead of shadowed-rule for identical selectors', () => {
  const text = policyText(
    '  - level: None\n    verbs: ["get", "list"]\n  - level: Request\n    verbs: ["list", "get"]\n' +
      CATCH_ALL,
  );
  assert.deepEqual(at(text, 'duplicate-rule'), [['rules[1]', 7, 5]]);
  assert.deepEqual(at(text, 'shadowed-rule'), []);
});

test('partly-shadowed-rule points at the one verb an earlier rule always catches', () => {
  const text = policyText(
    '  - level: None\n    verbs: ["watch"]\n  - level: Request\n    verbs: ["create", "watch"]\n    resources:\n      - group: "apps"\n' +
      CATCH_ALL,
  );
  assert.deepEqual(at(text, 'partly-shadowed-rule'), [['rules[1].verbs[1]', 8, 23]]);
});

test('resource-not-in-group and unknown-resource point at the resource entry', () => {
  const text = policyText(
    '  - level: Request\n    resources:\n      - group: "apps"\n        resources: ["jobs", "deploymnets", "deployments"]\n' +
      CATCH_ALL,
  );
  assert.deepEqual(at(text, 'resource-not-in-group'), [
    ['rules[0].resources[0].resources[0]', 8, 21],
  ]);
  assert.deepEqual(at(text, 'unknown-resource'), [['rules[0].resources[0].resources[1]', 8, 29]]);
});

test('resource checks skip custom groups and wildcards', () => {
  const text = policyText(
    '  - level: Metadata\n    resources:\n      - group: "example.com"\n        resources: ["widgets"]\n      - group: ""\n        resources: ["*", "*/status"]\n' +
      CATCH_ALL,
  );
  assert.deepEqual(keys(lintText(text)), []);
});

test('unknown-verb flags RBAC-only and misspelt verbs', () => {
  const text = policyText(`  - level: Request\n    verbs: ["get", "use", "Create"]\n${CATCH_ALL}`);
  assert.deepEqual(at(text, 'unknown-verb'), [
    ['rules[0].verbs[1]', 6, 20],
    ['rules[0].verbs[2]', 6, 27],
  ]);
});

test('sensitive-body-logged: secrets at Request for reads only is not a leak', () => {
  const reads = policyText(
    '  - level: Request\n    verbs: ["get", "list"]\n    resources:\n      - group: ""\n        resources: ["secrets"]\n' +
      CATCH_ALL,
  );
  assert.deepEqual(at(reads, 'sensitive-body-logged'), []);
  const writes = policyText(
    '  - level: Request\n    verbs: ["create"]\n    resources:\n      - group: ""\n        resources: ["secrets"]\n' +
      CATCH_ALL,
  );
  assert.deepEqual(at(writes, 'sensitive-body-logged'), [
    ['rules[0].resources[0].resources[0]', 9, 21],
  ]);
});

test('sensitive-body-logged: an earlier Metadata rule for secrets protects a broad rule', () => {
  const text = policyText(
    '  - level: Metadata\n    resources:\n      - group: ""\n        resources: ["secrets", "serviceaccounts/token"]\n      - group: "authentication.k8s.io"\n        resources: ["tokenreviews"]\n  - level: Request\n',
  );
  assert.deepEqual(at(text, 'sensitive-body-logged'), []);
  const bare = policyText('  - level: RequestResponse\n    verbs: ["create"]\n');
  assert.deepEqual(
    lintText(bare)
      .filter((f) => f.code === 'sensitive-body-logged')
      .map((f) => [f.path, f.ruleIndex]),
    [
      ['rules[0]', 0],
      ['rules[0]', 0],
      ['rules[0]', 0],
    ],
    'secrets, serviceaccounts/token and tokenreviews, all matched implicitly',
  );
});

test('request-received-not-omitted sits at the top-level omitStages when it exists', () => {
  const text = policyText(CATCH_ALL, 'omitStages: ["ResponseStarted"]\n');
  assert.deepEqual(at(text, 'request-received-not-omitted'), [['omitStages', 3, 1]]);
  const none = policyText('  - level: None\n', '');
  assert.deepEqual(at(none, 'request-received-not-omitted'), []);
});

test('no-catch-all points at the last rule', () => {
  const text = policyText(
    '  - level: Metadata\n    verbs: ["get"]\n  - level: Request\n    verbs: ["create"]\n',
  );
  assert.deepEqual(at(text, 'no-catch-all'), [['rules[1]', 7, 5]]);
});

test('high-volume-body flags list/watch at RequestResponse unless an earlier rule catches them', () => {
  const text = policyText(
    `  - level: RequestResponse\n    resources:\n      - group: "apps"\n${CATCH_ALL}`,
  );
  assert.deepEqual(at(text, 'high-volume-body'), [['rules[0]', 5, 5]]);
  const guarded = policyText(
    '  - level: Metadata\n    verbs: ["list", "watch"]\n  - level: RequestResponse\n    resources:\n      - group: "apps"\n' +
      CATCH_ALL,
  );
  assert.deepEqual(at(guarded, 'high-volume-body'), []);
});
