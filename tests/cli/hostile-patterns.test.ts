import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runKaudit } from '../helpers/cli.ts';
import { auditEvent } from '../helpers/events.ts';

// Issue #11: a name or URI chosen by an attacker must not stall `kaudit query` or
// `kaudit scan` (the header prefilter runs these checks before any full parse). Each run
// is killed after DEADLINE_MS; the previous code spent 27 s on a 32-character name, twice that on this one.
const DEADLINE_MS = 30_000;

const dir = mkdtempSync(join(tmpdir(), 'kaudit-hostile-'));
const log = join(dir, 'audit.log');
const events = [
  auditEvent({ user: { username: `${'a'.repeat(32)}!` } }),
  auditEvent({ user: { username: 'a'.repeat(33) } }),
  auditEvent({ requestURI: '/namespaces/n/pods/p'.repeat(2000) }),
  auditEvent({ requestURI: '/api/v1/namespaces/d/pods/web/exec?command=sh' }),
];
writeFileSync(log, `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);

test('kaudit query answers a catastrophic-looking regex on a hostile name at once', () => {
  const r = runKaudit(['query', 'ka.user.name regex "(a+)+$"', log, '--count'], {
    timeout: DEADLINE_MS,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), '1');
});

test('kaudit scan answers a regex and a glob rule on hostile events at once', () => {
  const rules = join(dir, 'rules.yaml');
  writeFileSync(
    rules,
    [
      '- rule: nested quantifier',
      '  desc: d',
      '  condition: ka.user.name regex "(a+)+$"',
      '  output: "name %ka.user.name"',
      '  priority: WARNING',
      '  source: k8s_audit',
      '- rule: exec by uri',
      '  desc: d',
      '  condition: ka.uri glob "*/namespaces/*/pods/*/exec*"',
      '  output: "exec %ka.uri"',
      '  priority: WARNING',
      '  source: k8s_audit',
      '',
    ].join('\n'),
  );
  const r = runKaudit(['scan', '-r', rules, log, '--format', 'json'], { timeout: DEADLINE_MS });
  assert.equal(r.code, 0, r.stderr);
  const rulesHit = r.stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => (JSON.parse(l) as { rule: string }).rule);
  assert.deepEqual(rulesHit, ['nested quantifier', 'exec by uri']);
});

test('kaudit query refuses a pattern RE2 refuses, with its message and a caret', () => {
  const r = runKaudit(['query', 'ka.user.name regex "\\\\d+"', log]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /invalid escape sequence: \\d/);
  assert.match(r.stderr, /\^/);
});
