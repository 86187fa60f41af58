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

test('kaudit scan --workers: each kind of bad line is reported once, at its first line in the file', () => {
  const bad: string[] = [];
  for (let i = 0; i < 600; i++) {
    bad.push(JSON.stringify(auditEvent({ verb: 'get', user: { username: `u${i}` } })));
    // Invalid JSON in several chunks, scanned by both threads.
    if (i % 150 === 40) bad.push(`{"kind":"Event", broken ${i}`);
  }
  const file = join(dir, 'bad.log');
  writeFileSync(file, `${bad.join('\n')}\n`);
  const r = runKaudit(['scan', '-r', rules, '--workers', '2', '--summary', file], {
    env: { KAUDIT_CHUNK_BYTES: '4096' },
  });
  assert.equal(r.code, 0, r.stderr);
  const reports = r.stderr.split('\n').filter((l) => l.startsWith('kaudit: '));
  assert.equal(reports.length, 1, r.stderr);
  assert.match(reports[0] ?? '', /bad\.log:42:\d+: invalid_json/);
  assert.match(r.stderr, /invalid_json: 4\n/);
});

test('kaudit scan --workers: evt.num counts the events of each chunk from 1', () => {
  const numRules = join(dir, 'num.yaml');
  writeFileSync(
    numRules,
    `
- rule: Every
  desc: every event
  condition: ka.verb exists
  output: n=%evt.num
  priority: INFO
  source: k8s_audit
`,
  );
  const env = { KAUDIT_CHUNK_BYTES: '8192' };
  const nums = (workers: string): number[] => {
    const r = runKaudit(['scan', '-r', numRules, '--workers', workers, log], { env });
    assert.equal(r.code, 0, r.stderr);
    return [...r.stdout.matchAll(/n=(\d+)/g)].map((m) => Number(m[1]));
  };
  const one = nums('1');
  assert.deepEqual(
    one,
    one.map((_, i) => i + 1),
  );
  const two = nums('2');
  assert.equal(two.length, one.length);
  const restarts = two.filter((n, i) => i > 0 && n === 1).length;
  assert.ok(restarts > 5, `numbering restarts per chunk (${restarts} restarts)`);
  assert.ok(
    two.every((n, i) => n === 1 || n === (two[i - 1] as number) + 1),
    'within a chunk, events are numbered in order',
  );
});
