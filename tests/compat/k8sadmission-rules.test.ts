import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { admissionReview, podObject, type ReviewSpec } from '../helpers/admission.ts';
import { runKaudit } from '../helpers/cli.ts';
import { SHARED_SKIP, sharedFixture } from '../helpers/shared.ts';

const dir = mkdtempSync(join(tmpdir(), 'kaudit-kar-'));

/** The upstream file with its last rule completed as docs/inputs-managed.md shows. */
function fixedRules(): string {
  const text = readFileSync(sharedFixture('kube-audit-rest', 'k8s_admission_rules.yaml'), 'utf8');
  const p = join(dir, 'k8s_admission_rules.yaml');
  writeFileSync(p, `${text.trimEnd()}\n  priority: DEBUG\n  source: k8s_admission\n`);
  return p;
}

function firedRules(rules: string, lines: readonly unknown[]): string[] {
  const input = join(dir, `reviews-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(input, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  const r = runKaudit(['scan', '-r', rules, '--rule-matching', 'all', '--format', 'json', input]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { rule: string }).rule);
}

test('the upstream k8sadmission rules file is refused: its last rule has no priority', {
  skip: SHARED_SKIP,
}, () => {
  const r = runKaudit([
    'rules',
    'validate',
    sharedFixture('kube-audit-rest', 'k8s_admission_rules.yaml'),
  ]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /In rule 'Log all requests': Item has no mapping for key 'priority'/);
});

test('fixed, it loads and fires on the kube-audit-rest sample', { skip: SHARED_SKIP }, () => {
  const rules = fixedRules();
  const v = runKaudit(['rules', 'validate', rules]);
  assert.equal(v.code, 0, v.stdout);
  const r = runKaudit([
    'scan',
    '-r',
    rules,
    '--format',
    'json',
    sharedFixture('kube-audit-rest', 'sample.jsonl'),
  ]);
  assert.equal(r.code, 0, r.stderr);
  const fired = r.stdout
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { rule: string }).rule);
  assert.deepEqual(fired, ['Log all requests', 'Log all requests']);
});

const AT = '2026-11-02T10:15:30.123456789Z';
const stamp = (s: ReviewSpec) => ({ ...admissionReview(s), requestReceivedTimestamp: AT });
const base = { uid: 'u-1', user: 'mallory', namespace: 'shop' } as const;

// One review per rule, written from what each rule's condition describes.
const CASES: readonly (readonly [string, ReviewSpec])[] = [
  [
    'Create Privileged Pod',
    {
      ...base,
      operation: 'CREATE',
      resource: 'pods',
      kind: 'Pod',
      name: 'p',
      object: podObject('p', 'shop', 'docker.io/library/busybox', true),
    },
  ],
  [
    'Exec Pod',
    {
      ...base,
      operation: 'CONNECT',
      resource: 'pods',
      subResource: 'exec',
      kind: 'PodExecOptions',
      name: 'p',
      object: { kind: 'PodExecOptions', command: ['sh'] },
    },
  ],
  [
    'Attach to cluster-admin Role',
    {
      uid: base.uid,
      user: base.user,
      operation: 'CREATE',
      group: 'rbac.authorization.k8s.io',
      resource: 'clusterrolebindings',
      kind: 'ClusterRoleBinding',
      name: 'b',
      object: {
        kind: 'ClusterRoleBinding',
        metadata: { name: 'b' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'cluster-admin',
        },
        subjects: [{ kind: 'User', name: 'mallory' }],
      },
    },
  ],
  [
    'K8s Secret Deleted',
    { ...base, operation: 'DELETE', resource: 'secrets', kind: 'Secret', name: 's' },
  ],
];

for (const [rule, spec] of CASES) {
  test(`fixed, its rule '${rule}' fires on an admission review written for it`, {
    skip: SHARED_SKIP,
  }, () => {
    assert.ok(firedRules(fixedRules(), [stamp(spec)]).includes(rule));
  });
}
