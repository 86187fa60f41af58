import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { MAX_EXPANDED_NODES } from '../../src/policy/decode.ts';
import { readPolicy } from '../../src/policy/index.ts';
import { runKaudit } from '../helpers/cli.ts';

// Issue #11: the apiserver accepts YAML anchors, aliases and merge keys in an audit
// Policy (go-yaml); `kaudit policy` rejected every alias ("cannot unmarshal string").
// An alias bomb must be one error, not an out-of-memory abort.

const dir = mkdtempSync(join(tmpdir(), 'kaudit-policy-alias-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const WITH_ALIASES = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: &early
  - RequestReceived
rules:
  - level: None
    users: &system ["system:kube-proxy", "system:kube-scheduler"]
    omitStages: *early
  - level: Metadata
    users: *system
    resources:
      - &core { group: "", resources: ["pods", "services"] }
  - &metadata-rule
    level: Metadata
    namespaces: ["kube-system"]
    resources: [*core]
  - <<: *metadata-rule
    namespaces: ["default"]
`;

/** Nine levels of ten aliases each: 10^9 strings once expanded. */
function aliasBomb(): string {
  let text = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nmetadata:\n  labels:\n';
  text += `    a0: &a0 [${Array(10).fill('"lol"').join(', ')}]\n`;
  for (let i = 1; i < 9; i++) {
    text += `    a${i}: &a${i} [${Array(10)
      .fill(`*a${i - 1}`)
      .join(', ')}]\n`;
  }
  return `${text}rules:\n  - level: Metadata\n    users: *a8\n`;
}

test('readPolicy() expands anchors, aliases and merge keys as the apiserver does', () => {
  const r = readPolicy(WITH_ALIASES, 'p.yaml');
  assert.deepEqual(r.errors, []);
  assert.equal(r.ok, true);
  const rules = r.policy!.rules;
  assert.deepEqual(rules[0]!.omitStages, ['RequestReceived']);
  assert.deepEqual(rules[1]!.users, ['system:kube-proxy', 'system:kube-scheduler']);
  assert.deepEqual(rules[2]!.resources, [{ group: '', resources: ['pods', 'services'] }]);
  // The merge key copies the anchored rule; its own keys win.
  assert.deepEqual(rules[3], {
    level: 'Metadata',
    namespaces: ['default'],
    resources: [{ group: '', resources: ['pods', 'services'] }],
  });
});

test('readPolicy() stops an alias bomb at the expansion budget with one positioned error', () => {
  const r = readPolicy(aliasBomb(), 'bomb.yaml');
  assert.equal(r.ok, false);
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0]!.code, 'decode');
  assert.match(r.errors[0]!.message, /excessive aliasing/);
  assert.equal(r.errors[0]!.position.file, 'bomb.yaml');
  assert.match(r.errors[0]!.message, new RegExp(`more than ${MAX_EXPANDED_NODES} nodes`));
});

test('readPolicy() reads an alias into its own anchor as empty, without looping', () => {
  const r = readPolicy(
    'apiVersion: audit.k8s.io/v1\nkind: Policy\nmetadata: &m\n  self: *m\nrules:\n  - level: None\n',
    's.yaml',
  );
  assert.equal(r.ok, true);
});

test('kaudit policy validate accepts a policy with aliases and rejects an alias bomb in one line', () => {
  const good = join(dir, 'aliases.yaml');
  writeFileSync(good, WITH_ALIASES);
  const ok = runKaudit(['policy', 'validate', good]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /valid audit policy, 4 rule\(s\)/);
  const lint = runKaudit([
    'policy',
    'check',
    good,
    '--verb',
    'get',
    '--resource',
    'pods',
    '--namespace',
    'default',
  ]);
  assert.equal(lint.code, 0, lint.stderr);

  const bomb = join(dir, 'bomb.yaml');
  writeFileSync(bomb, aliasBomb());
  const bad = runKaudit(['policy', 'validate', bomb]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /bomb\.yaml:\d+:\d+: error: .*excessive aliasing/);
  assert.doesNotMatch(bad.stderr, /\n\s+at |heap|internal error/);
});
