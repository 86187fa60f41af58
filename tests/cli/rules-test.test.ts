import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runKaudit } from '../helpers/cli.ts';
import { REPO_ROOT, SHARED_SKIP, sharedFixture } from '../helpers/shared.ts';

const dir = mkdtempSync(join(tmpdir(), 'kaudit-rules-test-'));
const RULES = join(dir, 'mine.yaml');
writeFileSync(
  RULES,
  `- macro: exec_started
  condition: ka.target.subresource = exec and ka.stage = ResponseStarted
- rule: Any Exec
  desc: d
  condition: exec_started
  output: exec (user=%ka.user.name pod=%ka.target.name)
  priority: NOTICE
  source: k8s_audit
- rule: Exec Into Kube System
  desc: d
  condition: exec_started and ka.target.namespace = kube-system
  output: exec into kube-system (user=%ka.user.name pod=%ka.target.name)
  priority: WARNING
  source: k8s_audit
`,
);
const ev = (ns: string, sub: string): string =>
  JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: `00000000-0000-4000-8000-00000000000${ns.length}`,
    stage: 'ResponseStarted',
    requestURI: `/api/v1/namespaces/${ns}/pods/p/${sub}?command=sh`,
    verb: 'create',
    user: { username: 'mallory\u001b[31m' },
    objectRef: { resource: 'pods', namespace: ns, name: 'p', subresource: sub },
    responseStatus: { code: 101 },
    requestReceivedTimestamp: '2026-01-01T00:00:00.000000Z',
    stageTimestamp: '2026-01-01T00:00:00.100000Z',
  });
const LOG = join(dir, 'audit.log');
writeFileSync(
  LOG,
  `${ev('kube-system', 'exec')}\n${ev('apps', 'exec')}\n${ev('kube-system', 'attach')}\n`,
);
writeFileSync(
  join(dir, 'mine.tests.yaml'),
  `tests:
  - name: exec into kube-system
    rule: Exec Into Kube System
    events_file: audit.log
    lines: 1
    expect: [{rule: Exec Into Kube System}]
  - name: wrong on purpose
    rule: Exec Into Kube System
    events_file: audit.log
    lines: 2
    expect: [{rule: Exec Into Kube System}]
`,
);

describe('kaudit rules test', () => {
  test('the built-in rules pass their tests (rules/kaudit-rules.tests.yaml), with full coverage', () => {
    const r = runKaudit(['rules', 'test', '--coverage']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^OK: \d{3} tests in 1 files: \d+ passed, 0 failed, 0 errors$/m);
    assert.match(
      r.stdout,
      /rules fired by a test: (\d+) of \1\n {2}rules proved silent on a near miss: \1 of \1\n/,
    );
  });

  test("our tests of ten Falco rules pass on Falco's rules file, JUnit written", {
    skip: SHARED_SKIP,
  }, () => {
    const xml = join(dir, 'falco.xml');
    const r = runKaudit([
      'rules',
      'test',
      sharedFixture('falco', 'rules', 'k8s_audit_rules.yaml'),
      '--tests',
      join(REPO_ROOT, 'tests', 'fixtures', 'ruletest', 'falco-k8s-audit.tests.yaml'),
      '--junit',
      xml,
    ]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^OK: \d+ tests in 1 files/m);
    assert.match(
      readFileSync(xml, 'utf8'),
      /<testsuites name="kaudit rules test" tests="\d+" failures="0" errors="0"/,
    );
  });

  test('a rules file with tests beside it: a failing case exits 1 with its diff and near miss', () => {
    const xml = join(dir, 'mine.xml');
    const r = runKaudit(['rules', 'test', RULES, '--junit', xml]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /FAIL .*mine\.tests\.yaml:7:5: wrong on purpose/);
    assert.match(
      r.stdout,
      /event .*audit\.log:2: no alert: ka\.target\.namespace = kube-system is false {2}ka\.target\.namespace: "apps"/,
    );
    assert.match(r.stdout, /FAILED: 2 tests in 1 files: 1 passed, 1 failed, 0 errors/);
    assert.match(readFileSync(xml, 'utf8'), /failures="1"/);
  });

  test('correlated and suppressed rules fire in their cases as in scan (a correlator per case)', () => {
    const cdir = mkdtempSync(join(tmpdir(), 'kaudit-rules-test-corr-'));
    writeFileSync(
      join(cdir, 'corr.yaml'),
      `- rule: Burst
  desc: d
  correlate:
    type: threshold
    count: 3
    within: 1m
    by: [ka.user.name]
    condition: ka.response.code = 403
  output: "%correlation.count refusals by %ka.user.name"
  priority: WARNING
  source: k8s_audit
- rule: Deleted
  desc: d
  condition: ka.verb = delete
  output: deleted by %ka.user.name
  priority: NOTICE
  source: k8s_audit
- rule: Deleted
  suppress: {within: 10m, by: [ka.user.name]}
  override: {suppress: replace}
`,
    );
    const e = (sec: number, verb: string, code: number, user = 'mallory') =>
      JSON.stringify({
        kind: 'Event',
        apiVersion: 'audit.k8s.io/v1',
        level: 'Metadata',
        auditID: `00000000-0000-4000-8000-0000000000${String(sec).padStart(2, '0')}`,
        stage: 'ResponseComplete',
        requestURI: '/api/v1/namespaces/shop/configmaps/c',
        verb,
        user: { username: user },
        objectRef: { resource: 'configmaps', namespace: 'shop', name: 'c' },
        responseStatus: { code },
        stageTimestamp: `2026-11-02T10:00:${String(sec).padStart(2, '0')}.000000Z`,
      });
    const events = (xs: readonly string[]) => xs.map((x) => `      - ${x}`).join('\n');
    writeFileSync(
      join(cdir, 'corr.tests.yaml'),
      `tests:
  - name: three refusals within a minute fire once, with the count
    rule: Burst
    events:
${events([e(0, 'get', 403), e(10, 'get', 403), e(20, 'get', 403)])}
    expect:
      - rule: Burst
        count: 1
        output_fields: {correlation.count: "3", ka.user.name: mallory}
  - name: two refusals, or three by different users, do not
    rule: Burst
    events:
${events([e(0, 'get', 403), e(10, 'get', 403), e(20, 'get', 403, 'bob'), e(30, 'get', 200)])}
    expect: [{rule: Burst, count: 0}]
  - name: three deletions give the first alert and the summary of two held back
    rule: Deleted
    events:
${events([e(0, 'delete', 200), e(5, 'delete', 200), e(9, 'delete', 200)])}
    expect:
      - rule: Deleted
        count: 2
`,
    );
    const r = runKaudit(['rules', 'test', join(cdir, 'corr.yaml')]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /3 tests in 1 files: 3 passed, 0 failed, 0 errors/);
  });

  test('a path with nothing to test is an error', () => {
    const r = runKaudit(['rules', 'test', LOG]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no tests beside it/);
  });
});

describe('kaudit rules mutate', () => {
  test('the built-in rules: at least 90% of mutants killed; --min-score above the score exits 1', () => {
    const r = runKaudit(['rules', 'mutate', '--min-score', '90']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const m = /(\d+) of (\d+) mutants killed \((\d+\.\d)%\)/.exec(r.stdout);
    assert.ok(m, r.stdout);
    assert.ok(Number(m[3]) >= 90);
    assert.match(
      r.stdout,
      /survivors \(no test fails with this change\):\n {4}rules\/kaudit-rules\.yaml:\d+: /,
    );
    const strict = runKaudit(['rules', 'mutate', RULES, '--min-score', '100', '--format', 'json']);
    assert.equal(strict.code, 1);
    const [report] = JSON.parse(strict.stdout) as {
      killed: number;
      mutants: { kind: string; killedBy?: string }[];
    }[];
    assert.ok(report);
    assert.ok(report.mutants.some((x) => x.killedBy === undefined));
    assert.ok(report.mutants.some((x) => x.kind === 'and-to-or'));
  });
});

describe('kaudit rules explain --event', () => {
  test('a near miss names the failed part, its value, and the macro it came from', () => {
    const r = runKaudit([
      'rules',
      'explain',
      'Exec Into Kube System',
      '-r',
      RULES,
      '--event',
      `${LOG}:3`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /verdict: no alert: ka\.target\.subresource = exec is false {2}\[macro exec_started\] {2}ka\.target\.subresource: "attach"/,
    );
    assert.match(r.stdout, /^ {2}false {2}and$/m);
    assert.match(r.stdout, /^ {2}- {8}ka\.target\.namespace = kube-system$/m);
    // Event text is escaped: no terminal control character comes through.
    assert.doesNotMatch(r.stdout, /\u001b/);
    assert.match(r.stdout, /mallory\\u001b\[31m|mallory\\x1b\[31m|mallory\\e\[31m/);
  });

  test('under rule_matching first it says which earlier rule fired instead; JSON on request', () => {
    const first = runKaudit([
      'rules',
      'explain',
      'Exec Into Kube System',
      '-r',
      RULES,
      '--event',
      `${LOG}:1`,
    ]);
    assert.match(
      first.stdout,
      /verdict: no alert: the condition matched, but under rule_matching first the earlier rule 'Any Exec' fired/,
    );
    const all = runKaudit([
      'rules',
      'explain',
      'Exec Into Kube System',
      '-r',
      RULES,
      '--event',
      `${LOG}:1-2`,
      '--rule-matching',
      'all',
      '--format',
      'json',
    ]);
    const lines = all.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; fired: boolean; matched: boolean });
    assert.deepEqual(
      lines.map((l) => [l.event.replace(/.*\//, ''), l.fired, l.matched]),
      [
        ['audit.log:1', true, true],
        ['audit.log:2', false, false],
      ],
    );
  });
});

describe('kaudit scan --explain', () => {
  test('JSON alerts carry the explanation only with --explain; text shows the tree under the line', () => {
    const plain = runKaudit([
      'scan',
      '-r',
      RULES,
      '--format',
      'json',
      '--rule-matching',
      'all',
      LOG,
    ]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.doesNotMatch(plain.stdout, /explanation/);
    const json = runKaudit([
      'scan',
      '-r',
      RULES,
      '--format',
      'json',
      '--rule-matching',
      'all',
      '--explain',
      LOG,
    ]);
    const alerts = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(alerts.length, 3);
    assert.deepEqual(Object.keys(alerts[0] ?? {}).slice(0, 2), ['explanation', 'hostname']);
    const ex = alerts[1]?.explanation as {
      rule: string;
      matched: boolean;
      condition: { result: string };
    };
    assert.equal(ex.rule, 'Exec Into Kube System');
    assert.equal(ex.matched, true);
    assert.equal(ex.condition.result, 'true');
    const text = runKaudit(['scan', '-r', RULES, '--explain', LOG]);
    assert.match(
      text.stdout,
      /Notice exec \(user=mallory.*\n {4}true {3}and {2}\[macro exec_started\]\n {4}true {5}ka\.target\.subresource = exec {2}ka\.target\.subresource: "exec"/,
    );
  });
});
