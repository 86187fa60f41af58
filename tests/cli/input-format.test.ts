import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runKaudit } from '../helpers/cli.ts';
import { auditEvent } from '../helpers/events.ts';

const dir = mkdtempSync(join(tmpdir(), 'kaudit-format-'));

// One plain event and one EKS CloudWatch export line.
const mixed = join(dir, 'mixed.jsonl');
writeFileSync(
  mixed,
  `${JSON.stringify(auditEvent({ verb: 'get' }))}\n${JSON.stringify({ message: JSON.stringify(auditEvent({ verb: 'list' })) })}\n`,
);

test('kaudit scan --summary says which input formats it saw', () => {
  const r = runKaudit(['scan', mixed, '--summary']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout + r.stderr, /Input formats: jsonl 1, eks 1\n/);
});

test('kaudit scan --input-format eks decodes EKS lines only and reports the others', () => {
  const r = runKaudit(['scan', mixed, '--summary', '--input-format', 'eks']);
  assert.equal(r.code, 0, r.stderr);
  const all = r.stdout + r.stderr;
  assert.match(all, /Events read: 1\n/);
  assert.match(all, /wrong_format: 1/);
  assert.match(all, /Input formats: eks 1\n/);
  const bad = runKaudit(['scan', mixed, '--input-format', 'xml']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /expected auto, jsonl, eks, gke, aks, ovh, kube-audit-rest/);
});

test('kaudit scan checks required_plugin_versions against the plugin of its --input-format', () => {
  const rules = join(dir, 'eks-rules.yaml');
  writeFileSync(
    rules,
    `- required_plugin_versions:
  - name: k8saudit-eks
    version: 0.10.0
- rule: Any Get
  desc: d
  condition: ka.verb = get
  output: get by %ka.user.name
  priority: WARNING
  source: k8s_audit
`,
  );
  // Read as a plain file, the source is k8saudit's: the requirement fails, with its position.
  const auto = runKaudit(['scan', '-r', rules, mixed]);
  assert.notEqual(auto.code, 0);
  assert.ok(
    auto.stderr.includes(
      `${rules}:2:5: error LOAD_ERR_VALIDATE: In required plugin versions '': Plugin requirement not satisfied, must load one of: k8saudit-eks (>= 0.10.0)`,
    ),
    auto.stderr,
  );
  // With --input-format eks kaudit stands in for k8saudit-eks: the same rules load and run.
  const eks = runKaudit(['scan', '-r', rules, '--input-format', 'eks', mixed]);
  assert.equal(eks.stderr.includes('LOAD_ERR'), false, eks.stderr);
  assert.equal(eks.code, 0, eks.stderr);
});
