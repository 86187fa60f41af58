import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runKaudit } from '../helpers/cli.ts';
import { SHARED_SKIP, sharedFixture } from '../helpers/shared.ts';

const dir = mkdtempSync(join(tmpdir(), 'kaudit-rules-'));

test('kaudit rules validate: official Falco rules load OK', { skip: SHARED_SKIP }, () => {
  const r = runKaudit([
    'rules',
    'validate',
    sharedFixture('falco', 'rules', 'k8s_audit_rules.yaml'),
  ]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /OK: \d+ rules, 0 errors/);
});

test("kaudit rules validate: errors with file:line:col, caret, exit 1; --format json is Falco's load result", () => {
  const bad = join(dir, 'bad.yaml');
  writeFileSync(
    bad,
    '- rule: R\n  desc: d\n  condition: ka.verb = create and ka.user.groups contains admins\n  output: o\n  priority: INFO\n  source: k8s_audit\n',
  );
  const r = runKaudit(['rules', 'validate', bad]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /bad\.yaml:3:\d+/);
  assert.match(r.stdout, /LOAD_ERR_COMPILE_CONDITION/);
  assert.match(r.stdout, /\^/);
  const j = runKaudit(['rules', 'validate', '--format', 'json', bad]);
  assert.equal(j.code, 1);
  const parsed = JSON.parse(j.stdout) as {
    falco_load_results: { successful: boolean; errors: { code: string }[] }[];
  };
  assert.equal(parsed.falco_load_results[0]?.successful, false);
  assert.equal(parsed.falco_load_results[0]?.errors[0]?.code, 'LOAD_ERR_COMPILE_CONDITION');
});

test('kaudit rules list shows rules with priority, source, enabled and tags', {
  skip: SHARED_SKIP,
}, () => {
  const r = runKaudit([
    'rules',
    'list',
    '-r',
    sharedFixture('falco', 'rules', 'k8s_audit_rules.yaml'),
    '--format',
    'json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const rows = r.stdout
    .trimEnd()
    .split('\n')
    .map(
      (l) =>
        JSON.parse(l) as {
          rule: string;
          priority: string;
          enabled: boolean;
          source: string;
          tags: string[];
        },
    );
  const priv = rows.find((x) => x.rule === 'Create Privileged Pod');
  assert.ok(priv);
  assert.equal(priv.priority, 'Warning');
  assert.equal(priv.source, 'k8s_audit');
  assert.ok(priv.tags.includes('k8s'));
  assert.equal(rows.find((x) => x.rule === 'K8s Secret Get Successfully')?.enabled, true);
});

test('kaudit rules fields lists every field with type, argument and description', () => {
  const r = runKaudit(['rules', 'fields', '--source', 'k8s_audit', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const fields = r.stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { name: string; arg: string; list: boolean; description: string });
  const param = fields.find((f) => f.name === 'ka.uri.param');
  assert.ok(param);
  assert.match(param.arg, /key/);
  assert.equal(fields.find((f) => f.name === 'ka.user.groups')?.list, true);
  assert.ok(fields.length >= 100);
  assert.ok(fields.every((f) => f.description.length > 0));
});

test('kaudit rules explain shows the expanded condition, requirements and code', {
  skip: SHARED_SKIP,
}, () => {
  const r = runKaudit([
    'rules',
    'explain',
    'Attach/Exec Pod',
    '-r',
    sharedFixture('falco', 'rules', 'k8s_audit_rules.yaml'),
    '--js',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /jevt\.value\[\/stage\] = ResponseStarted/);
  assert.match(r.stdout, /subresources: (exec, attach|attach, exec)/);
  assert.match(r.stdout, /compiled condition:\n/);
  const missing = runKaudit([
    'rules',
    'explain',
    'No Such Rule',
    '-r',
    sharedFixture('falco', 'rules', 'k8s_audit_rules.yaml'),
  ]);
  assert.equal(missing.code, 1);
});

test('kaudit rules explain warns when a rule reads a field an input format lacks', () => {
  const r = runKaudit(['rules', 'explain', 'Audit ID Chosen by Client']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /warning: gke input does not carry ka\.auditid \(/);
  // A rule reading only real fields gets no caveat.
  const plain = join(dir, 'plain.yaml');
  writeFileSync(
    plain,
    '- rule: P\n  desc: d\n  condition: ka.user.name = alice\n  output: o\n  priority: INFO\n  source: k8s_audit\n',
  );
  const p = runKaudit(['rules', 'explain', 'P', '-r', plain]);
  assert.equal(p.code, 0, p.stderr);
  assert.doesNotMatch(p.stdout, /input formats:/);
});

test('kaudit rules explain shows a correlated rule: kind, window, group-by, threshold, distinct field, steps, suppression', () => {
  const file = join(dir, 'corr.yaml');
  writeFileSync(
    file,
    `- rule: Burst
  desc: d
  correlate:
    type: threshold
    count: 20
    within: 1m
    by: [ka.user.name, ka.target.namespace]
    condition: ka.response.code = 403
  output: o
  priority: WARNING
  source: k8s_audit
  suppress:
    within: 10m
    by: [ka.user.name]
- rule: Spread
  desc: d
  correlate:
    type: distinct
    field: "%ka.target.namespace/%ka.target.name"
    count: 5
    within: 1h30m
    condition: ka.target.resource = secrets
  output: o
  priority: WARNING
  source: k8s_audit
- rule: Created Then Used
  desc: d
  correlate:
    type: sequence
    within: 10m
    steps:
      - name: created
        condition: ka.verb = create and ka.target.resource = serviceaccounts
        by: [sa: "system:serviceaccount:%ka.target.namespace:%ka.target.name"]
      - name: used
        condition: ka.verb = list
        by: [ka.user.name]
  output: o
  priority: WARNING
  source: k8s_audit
`,
  );
  const burst = runKaudit(['rules', 'explain', 'Burst', '-r', file]);
  assert.equal(burst.code, 0, burst.stderr);
  assert.match(
    burst.stdout,
    /\ncorrelation: threshold \(Sigma event_count\)\n {2}within: 1m\n {2}group by: ka\.user\.name, ka\.target\.namespace\n {2}threshold: 20 matching events\n {2}condition: ka\.response\.code = 403\nsuppress: one alert per key within 10m, by ka\.user\.name\n/,
  );
  const spread = runKaudit(['rules', 'explain', 'Spread', '-r', file]);
  assert.match(spread.stdout, /correlation: distinct \(Sigma value_count\)\n {2}within: 1h30m\n/);
  assert.match(spread.stdout, /group by: \(none: one group\)\n/);
  assert.match(
    spread.stdout,
    /threshold: 5 distinct values of %ka\.target\.namespace\/%ka\.target\.name\n/,
  );
  const seq = runKaudit(['rules', 'explain', 'Created Then Used', '-r', file]);
  assert.match(
    seq.stdout,
    /correlation: sequence \(Sigma temporal_ordered, EQL sequence\)\n {2}within: 10m\n {2}group by: \(none: one group\)\n {2}steps \(2, in order\):\n {4}1\. created: \(ka\.verb = create and ka\.target\.resource = serviceaccounts\)\n {7}joined by: sa = system:serviceaccount:%ka\.target\.namespace:%ka\.target\.name\n {4}2\. used: ka\.verb = list\n {7}joined by: ka\.user\.name\n/,
  );
  // A plain rule says nothing of correlation.
  const plain = join(dir, 'plain2.yaml');
  writeFileSync(
    plain,
    '- rule: P\n  desc: d\n  condition: ka.user.name = alice\n  output: o\n  priority: INFO\n  source: k8s_audit\n',
  );
  assert.doesNotMatch(runKaudit(['rules', 'explain', 'P', '-r', plain]).stdout, /correlation:/);
});
