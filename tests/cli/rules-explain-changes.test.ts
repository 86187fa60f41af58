// `kaudit rules explain RULE` lists every item that changed the rule after its first
// definition, in load order, with file:line:col: appends, overrides, redefinitions and
// enabled changes, across several rules files.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadRules } from '../../src/rules/index.ts';
import { runKaudit } from '../helpers/cli.ts';

const BASE = `- rule: Shell
  desc: d
  condition: ka.verb = create
  output: o %ka.verb
  priority: WARNING
  source: k8s_audit
- rule: Other
  desc: d
  condition: ka.verb = get
  output: o
  priority: NOTICE
  source: k8s_audit
`;

const LOCAL = `- rule: Shell
  condition: and ka.user.name != admin
  append: true
- rule: Other
  enabled: false
- rule: Shell
  priority: ERROR
  output: o2 %ka.user.name
  override:
    priority: replace
    output: replace
- rule: Shell
  enabled: false
  override:
    enabled: replace
`;

const LAST = `- rule: Shell
  desc: again
  condition: ka.verb = delete
  output: o3
  priority: INFO
  source: k8s_audit
- rule: Shell
  enabled: true
`;

test('loadRules() records each change to a rule with its kind, keys and position', () => {
  const r = loadRules([
    { name: 'base.yaml', content: BASE },
    { name: 'local.yaml', content: LOCAL },
    { name: 'last.yaml', content: LAST },
  ]);
  assert.equal(r.ok, true, JSON.stringify(r.errors));
  const shell = r.rules.find((x) => x.name === 'Shell');
  const other = r.rules.find((x) => x.name === 'Other');
  assert.deepEqual(shell?.position, { name: 'base.yaml', line: 1, column: 3, offset: 2 });
  assert.deepEqual(
    shell?.changes.map((c) => [c.kind, c.keys, `${c.position.name}:${c.position.line}`]),
    [
      ['append', ['condition'], 'local.yaml:1'],
      ['override', ['output', 'priority'], 'local.yaml:6'],
      ['disable', ['enabled'], 'local.yaml:12'],
      ['redefine', ['desc', 'condition', 'output', 'priority', 'source'], 'last.yaml:1'],
      ['enable', ['enabled'], 'last.yaml:7'],
    ],
  );
  assert.deepEqual(
    other?.changes.map((c) => [c.kind, c.enabled, c.position.line]),
    [['disable', false, 4]],
  );
  // A rule nothing changed lists nothing.
  const alone = loadRules([{ name: 'base.yaml', content: BASE }]);
  assert.deepEqual(
    alone.rules.map((x) => x.changes.length),
    [0, 0],
  );
});

test('kaudit rules explain lists the files that appended to, overrode or disabled the rule', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kaudit-explain-changes-'));
  const files = ['base.yaml', 'local.yaml', 'last.yaml'].map((n) => join(dir, n));
  for (const [i, text] of [BASE, LOCAL, LAST].entries()) writeFileSync(files[i] as string, text);
  const args = files.flatMap((f) => ['-r', f]);
  const r = runKaudit(['rules', 'explain', 'Shell', ...args]);
  assert.equal(r.code, 0, r.stderr);
  const [base, local, last] = files as [string, string, string];
  assert.ok(r.stdout.includes(`defined at: ${base}:1:3\n`), r.stdout);
  const listed = r.stdout.slice(r.stdout.indexOf('changed by:\n')).split('\n').slice(1, 6);
  assert.deepEqual(listed, [
    `  ${local}:1:3  appended (condition)`,
    `  ${local}:6:3  overridden (output, priority)`,
    `  ${local}:12:3  disabled (enabled: false)`,
    `  ${last}:1:3  redefined (desc, condition, output, priority, source)`,
    `  ${last}:7:3  enabled (enabled: true)`,
  ]);
  const other = runKaudit(['rules', 'explain', 'Other', ...args]);
  assert.match(
    other.stdout,
    new RegExp(`changed by:\\n  ${local}:4:3  disabled \\(enabled: false\\)\\n`),
  );
  const alone = runKaudit(['rules', 'explain', 'Other', '-r', base]);
  assert.match(alone.stdout, /changed by: \(no other item\)\n/);
});
