import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runKaudit } from '../helpers/cli.ts';
import { auditEvent } from '../helpers/events.ts';

const dir = mkdtempSync(join(tmpdir(), 'kaudit-workers-'));
const rules = join(dir, 'rules.yaml');
writeFileSync(
  rules,
  `
- rule: Delete
  desc: d
  condition: ka.verb = delete
  output: delete %ka.target.resource/%ka.target.name by %ka.user.name
  priority: WARNING
  source: k8s_audit
- rule: Exec
  desc: e
  condition: ka.target.subresource = exec
  output: exec into %ka.target.name
  priority: NOTICE
  source: k8s_audit
`,
);
const lines: string[] = [];
for (let i = 0; i < 600; i++) {
  const verb = i % 7 === 0 ? 'delete' : i % 3 === 0 ? 'list' : 'get';
  const sub = i % 11 === 0 ? { subresource: 'exec' } : {};
  lines.push(
    JSON.stringify(
      auditEvent({
        verb,
        user: { username: `user-${i}` },
        objectRef: { resource: 'pods', namespace: 'ns', name: `p${i}`, ...sub },
      }),
    ),
  );
  if (i === 250) lines.push('{"kind":"Event", not json');
  if (i === 400) lines.push('"just a string"');
}
const log = join(dir, 'big.log');
writeFileSync(log, `${lines.join('\n')}\n`);

test('kaudit scan --workers 2 prints the same alerts in file order as one thread', () => {
  const env = { KAUDIT_CHUNK_BYTES: '8192' };
  const one = runKaudit(['scan', '-r', rules, '--workers', '1', '--summary', log], { env });
  const two = runKaudit(['scan', '-r', rules, '--workers', '2', '--summary', log], { env });
  assert.equal(one.code, 0, one.stderr);
  assert.equal(two.code, 0, two.stderr);
  assert.ok(one.stdout.split('\n').length > 100);
  assert.equal(two.stdout, one.stdout);
  // Same reports with the same file:line, same summary counts.
  const strip = (s: string) =>
    s
      .replace(/Elapsed time:.*\n/, '')
      .replace(/Events skipped by the raw-line prefilter: \d+\n/, '');
  assert.equal(strip(two.stderr), strip(one.stderr));
  assert.match(one.stderr, /big\.log:252:\d+: invalid_json/);
  assert.match(one.stderr, /big\.log:403(:\d+)?: not_audit_event/);
});

test('kaudit scan --workers: --fail-on and --format json work across chunks', () => {
  const env = { KAUDIT_CHUNK_BYTES: '8192' };
  const r = runKaudit(
    ['scan', '-r', rules, '--workers', '2', '--format', 'json', '--fail-on', 'warning', log],
    { env },
  );
  assert.equal(r.code, 1);
  const first = JSON.parse(r.stdout.split('\n')[0] ?? '{}') as { rule: string };
  assert.equal(first.rule, 'Delete');
});
