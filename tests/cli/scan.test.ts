import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { bundleIsFresh, runKaudit } from '../helpers/cli.ts';
import { auditEvent } from '../helpers/events.ts';
import { FALCO_ALERT_KEYS } from '../helpers/falco-alert.ts';

const dir = mkdtempSync(join(tmpdir(), 'kaudit-scan-'));
const rulesPath = join(dir, 'rules.yaml');
writeFileSync(
  rulesPath,
  `
- rule: Namespace Deleted
  desc: a namespace was deleted
  condition: ka.verb = delete and ka.target.resource = namespaces
  output: namespace %ka.target.name deleted by %ka.user.name
  priority: ERROR
  source: k8s_audit
  tags: [k8s, namespaces]
- rule: Any Delete
  desc: any delete
  condition: ka.verb = delete
  output: delete of %ka.target.resource/%ka.target.name
  priority: INFO
  source: k8s_audit
  tags: [k8s_activity]
`,
);
const nsDelete = auditEvent({
  verb: 'delete',
  requestURI: '/api/v1/namespaces/prod',
  objectRef: { resource: 'namespaces', name: 'prod', apiVersion: 'v1' },
  requestObject: undefined,
  responseStatus: { metadata: {}, code: 200 },
});
const podDelete = auditEvent({
  verb: 'delete',
  objectRef: { resource: 'pods', namespace: 'default', name: 'web' },
});
const benign = auditEvent({ verb: 'get' });
const logPath = join(dir, 'audit.log');
writeFileSync(
  logPath,
  `${[benign, nsDelete, podDelete].map((e) => JSON.stringify(e)).join('\n')}\n`,
);

test('kaudit scan prints Falco text alerts and exits 0', () => {
  const r = runKaudit(['scan', '-r', rulesPath, logPath]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 2);
  assert.match(
    lines[0] ?? '',
    /^10:15:30\.234567000: Error namespace prod deleted by alice@example\.com$/,
  );
  assert.match(lines[1] ?? '', /^10:15:30\.234567000: Informational delete of pods\/web$/);
});

test("kaudit scan --format json emits Falco's JSON alert schema", () => {
  const r = runKaudit(['scan', '-r', rulesPath, '--format', 'json', logPath]);
  assert.equal(r.code, 0, r.stderr);
  const alerts = r.stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(alerts.length, 2);
  const a = alerts[0] as Record<string, unknown>;
  assert.deepEqual(Object.keys(a), FALCO_ALERT_KEYS);
  assert.equal(a.hostname, 'test-host');
  assert.equal(a.rule, 'Namespace Deleted');
  assert.equal(a.priority, 'Error');
  assert.equal(a.source, 'k8s_audit');
  assert.deepEqual(a.tags, ['k8s', 'namespaces']);
  assert.equal(a.time, '2026-11-02T10:15:30.234567000Z');
  const f = a.output_fields as Record<string, unknown>;
  assert.equal(f['ka.target.name'], 'prod');
  assert.equal(typeof f['evt.time'], 'number');
});

test('kaudit scan --rule-matching all, --min-priority and --disable select rules', () => {
  const all = runKaudit(['scan', '-r', rulesPath, '--rule-matching', 'all', logPath]);
  assert.equal(all.stdout.trimEnd().split('\n').length, 3);
  const warn = runKaudit([
    'scan',
    '-r',
    rulesPath,
    '--rule-matching',
    'all',
    '--min-priority',
    'warning',
    logPath,
  ]);
  assert.equal(warn.stdout.trimEnd().split('\n').length, 1);
  const disabled = runKaudit([
    'scan',
    '-r',
    rulesPath,
    '--rule-matching',
    'all',
    '--disable',
    'tag:k8s_activity',
    logPath,
  ]);
  assert.equal(disabled.stdout.trimEnd().split('\n').length, 1);
  const glob = runKaudit(['scan', '-r', rulesPath, '--disable', 'Namespace*', logPath]);
  assert.match(glob.stdout, /delete of namespaces\/prod/);
});

test('kaudit scan --fail-on exits 1 when an alert is at or above the priority', () => {
  assert.equal(runKaudit(['scan', '-r', rulesPath, '--fail-on', 'error', logPath]).code, 1);
  assert.equal(runKaudit(['scan', '-r', rulesPath, '--fail-on', 'critical', logPath]).code, 0);
});

test("kaudit scan --summary prints Falco's summary and input statistics on stderr", () => {
  const r = runKaudit(['scan', '-r', rulesPath, '--summary', logPath]);
  assert.equal(r.code, 0);
  assert.match(
    r.stderr,
    /^Events detected: 2\nRule counts by severity:\n {3}ERROR: 1\n {3}INFO: 1\nTriggered rules by rule name:\n {3}Namespace Deleted: 1\n {3}Any Delete: 1\n/,
  );
  assert.match(r.stderr, /Events read: 3\n/);
  assert.match(r.stderr, /Events rejected: 0\n/);
  assert.match(r.stderr, /events\/s/);
});

test('kaudit scan reads stdin, .gz files and directories', () => {
  const text = [nsDelete].map((e) => JSON.stringify(e)).join('\n');
  const stdin = runKaudit(['scan', '-r', rulesPath, '-'], { input: text });
  assert.match(stdin.stdout, /namespace prod deleted/);
  const gz = join(dir, 'old.log.gz');
  writeFileSync(gz, gzipSync(`${text}\n`));
  assert.match(runKaudit(['scan', '-r', rulesPath, gz]).stdout, /namespace prod deleted/);
  const sub = mkdtempSync(join(dir, 'logs-'));
  writeFileSync(join(sub, 'a.log'), `${text}\n`);
  assert.match(runKaudit(['scan', '-r', rulesPath, sub]).stdout, /namespace prod deleted/);
});

test('kaudit scan --cluster labels every alert with ka.cluster.name', () => {
  const r = runKaudit([
    'scan',
    '-r',
    rulesPath,
    '--format',
    'json',
    '--cluster',
    'prod-eu',
    logPath,
  ]);
  const a = JSON.parse(r.stdout.split('\n')[0] ?? '{}') as {
    output_fields: Record<string, unknown>;
  };
  assert.equal(a.output_fields['ka.cluster.name'], 'prod-eu');
});

test('kaudit scan reports bad lines once with file:line and goes on', () => {
  const bad = join(dir, 'bad.log');
  writeFileSync(
    bad,
    [
      '{"kind":"Event", broken',
      JSON.stringify(nsDelete),
      '{"kind": 0}',
      '{"kind":"Event","auditID":"x"',
      '',
    ].join('\n'),
  );
  const r = runKaudit(['scan', '-r', rulesPath, '--summary', bad]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /namespace prod deleted/);
  assert.match(
    r.stderr,
    new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1:\\d+: invalid_json`),
  );
  assert.match(r.stderr, /:3(:\d+)?: not_audit_event/);
  assert.match(r.stderr, /invalid_json: 2\n/);
});

test('kaudit scan: a missing file is one clear error line and exit 1', () => {
  const r = runKaudit(['scan', '-r', rulesPath, join(dir, 'nope.log')]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trimEnd().split('\n').length, 1);
  assert.match(r.stderr, /^kaudit: .*nope\.log/);
});

test('kaudit scan: usage errors exit 2', () => {
  assert.equal(runKaudit(['scan', '--format', 'xml', logPath]).code, 2);
  assert.equal(runKaudit(['scan', '--min-priority', 'loud', logPath]).code, 2);
  assert.equal(runKaudit(['frobnicate']).code, 2);
});

test('kaudit scan: rules that fail to load are reported with positions, exit 1', () => {
  const broken = join(dir, 'broken.yaml');
  writeFileSync(
    broken,
    '- rule: X\n  desc: d\n  condition: ka.verb = create and (ka.user.name = a\n  output: o\n  priority: INFO\n  source: k8s_audit\n',
  );
  const r = runKaudit(['scan', '-r', broken, logPath]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /broken\.yaml:3:\d+/);
  assert.match(r.stderr, /LOAD_ERR_COMPILE_CONDITION/);
});

test('every command shows examples in --help', () => {
  for (const cmd of [
    ['scan'],
    ['query'],
    ['rules'],
    ['rules', 'validate'],
    ['rules', 'list'],
    ['rules', 'fields'],
    ['rules', 'explain'],
    ['policy'],
  ]) {
    const r = runKaudit([...cmd, '--help']);
    assert.equal(r.code, 0, cmd.join(' '));
    assert.match(r.stdout, /Examples:/, cmd.join(' '));
  }
});

test('bin/kaudit gives the same answers from the dist/ bundle and from the sources', () => {
  // With a stale bundle bin/kaudit runs the sources both times and this would compare them
  // with themselves; `npm test` builds dist/ first (pretest), so stale here is a real fault.
  assert.ok(bundleIsFresh(), 'dist/ is older than src/: run `npm run build`');
  const bundled = runKaudit(['scan', '-r', rulesPath, '--format', 'json', '--summary', logPath]);
  const sources = runKaudit(['scan', '-r', rulesPath, '--format', 'json', '--summary', logPath], {
    env: { KAUDIT_NO_BUNDLE: '1' },
  });
  assert.equal(sources.stdout, bundled.stdout);
  const strip = (s: string) => s.replace(/Elapsed time:.*\n/, '');
  assert.equal(strip(sources.stderr), strip(bundled.stderr));
});
