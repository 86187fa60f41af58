import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  computeCoverage,
  formatCoverage,
  formatJUnit,
  formatTestRun,
  readTestsFile,
  runTests,
} from '../../src/ruletest/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'kaudit-ruletest-'));
const RULES = join(dir, 'r.yaml');
writeFileSync(
  RULES,
  `- list: readers
  items: [alice]
- macro: secret_read
  condition: ka.target.resource = secrets and ka.verb in (get, list)
- rule: Secret Read
  desc: d
  condition: secret_read and not ka.user.name in (readers)
  output: secret read (user=%ka.user.name verb=%ka.verb)
  priority: WARNING
  source: k8s_audit
  exceptions:
    - name: ci
      fields: [ka.user.name]
      values: [[ci-bot]]
- rule: Pod Deleted
  desc: d
  condition: ka.target.resource = pods and ka.verb = delete
  output: pod deleted (user=%ka.user.name)
  priority: NOTICE
  source: k8s_audit
`,
);
let n = 0;
const ev = (verb: string, resource: string, user: string): string =>
  JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    requestURI: `/api/v1/namespaces/ns/${resource}`,
    stage: 'ResponseComplete',
    requestReceivedTimestamp: '2026-01-01T00:00:00.000000Z',
    stageTimestamp: '2026-01-01T00:00:00.100000Z',
    verb,
    user: { username: user },
    objectRef: { resource, namespace: 'ns' },
    responseStatus: { code: 200 },
  });
const LOG = join(dir, 'audit.log');
writeFileSync(
  LOG,
  `${[ev('get', 'secrets', 'mallory'), ev('get', 'secrets', 'alice'), ev('delete', 'pods', 'bob')].join('\n')}\n`,
);

async function run(tests: string) {
  const path = join(dir, 'x.tests.yaml');
  writeFileSync(path, tests);
  const file = readTestsFile(path, tests, { rulesFiles: [RULES] });
  assert.deepEqual(file.errors, []);
  return runTests([file]);
}

describe('runTests', () => {
  test('passing cases: inline events, a log file line range, output fields, overrides', async () => {
    const results = await run(`tests:
  - name: fires
    rule: Secret Read
    events_file: audit.log
    lines: 1-2
    expect: [{rule: Secret Read, count: 1, output_fields: {ka.user.name: mallory, ka.verb: get}}]
  - name: silent for the ci exception
    rule: Secret Read
    events: [${ev('list', 'secrets', 'ci-bot')}]
    expect: [{rule: Secret Read, count: 0}]
  - name: an override adds a reader
    rule: Secret Read
    events_file: audit.log
    lines: 1
    overrides:
      - list: readers
        items: [mallory]
        override: {items: append}
    expect: [{rule: Secret Read, count: 0}]
`);
    assert.deepEqual(
      results[0]?.cases.map((c) => c.status),
      ['pass', 'pass', 'pass'],
      formatTestRun(results),
    );
  });

  test('a failure prints expected against actual, the test file:line, and why the rule missed', async () => {
    const results = await run(`tests:
  - name: wrong count
    rule: Secret Read
    events_file: audit.log
    expect: [{rule: Secret Read, count: 2}, {rule: Pod Deleted, count: 0}]
  - name: wrong field
    rule: Secret Read
    events_file: audit.log
    lines: 1
    expect: [{rule: Secret Read, output_fields: {ka.user.name: eve}}]
  - name: suppressed
    rule: Secret Read
    events: [${ev('get', 'secrets', 'ci-bot')}]
    expect: [{rule: Secret Read}]
`);
    const text = formatTestRun(results);
    assert.deepEqual(
      results[0]?.cases.map((c) => c.status),
      ['fail', 'fail', 'fail'],
    );
    assert.match(text, /FAIL .*x\.tests\.yaml:2:5: wrong count/);
    assert.match(
      text,
      /rule 'Secret Read': expected 2 alerts, got 1 alert \(expected at .*x\.tests\.yaml:5:14\)/,
    );
    // The near miss names the failed part with the value it read.
    assert.match(
      text,
      /event .*audit\.log:2: no alert: .*ka\.user\.name in \(readers\) is true.*ka\.user\.name: "alice"/,
    );
    assert.match(
      text,
      /event .*audit\.log:3: no alert: ka\.target\.resource = secrets is false {2}\[macro secret_read\] {2}ka\.target\.resource: "pods"/,
    );
    assert.match(text, /rule 'Pod Deleted': expected no alert, got 1 alert/);
    assert.match(text, /alert on .*audit\.log:3: .*pod deleted \(user=bob\)/);
    assert.match(
      text,
      /output field ka\.user\.name: .*\n {4}expected: "eve"\n {4}actual: {3}"mallory"/,
    );
    assert.match(text, /no alert: suppressed by exception 'ci'/);
    assert.match(text, /FAILED: 3 tests in 1 files: 0 passed, 3 failed, 0 errors/);
  });

  test('a case that cannot run is an error naming what is wrong where', async () => {
    const results = await run(`tests:
  - name: unknown rule
    rule: Secret Reed
    events_file: audit.log
    expect: [{rule: Secret Reed}]
  - name: bad override
    rule: Secret Read
    events_file: audit.log
    overrides:
      - rule: Secret Read
        condition: ka.verb = = get
        override: {condition: replace}
    expect: [{rule: Secret Read}]
  - name: not an event
    rule: Secret Read
    events: [{hello: world}]
    expect: [{rule: Secret Read}]
`);
    const text = formatTestRun(results);
    assert.deepEqual(
      results[0]?.cases.map((c) => c.status),
      ['error', 'error', 'error'],
    );
    assert.match(
      text,
      /x\.tests\.yaml:3:11: error TEST_ERR_UNKNOWN_RULE: no rule named 'Secret Reed' .*did you mean 'Secret Read'\?/,
    );
    assert.match(
      text,
      /x\.tests\.yaml:11:\d+: error TEST_ERR_RULES_LOAD: LOAD_ERR_COMPILE_CONDITION/,
    );
    assert.match(text, /x\.tests\.yaml:16:\d+: error TEST_ERR_EVENTS: /);
  });

  test('JUnit XML: one testsuite per file, failures and errors with their text, hostile names escaped', async () => {
    const results = await run(`tests:
  - name: "ok <&> \\"quoted\\" \\u0001"
    rule: Secret Read
    events_file: audit.log
    lines: 1
    expect: [{rule: Secret Read}]
  - name: fails
    rule: Secret Read
    events_file: audit.log
    lines: 2
    expect: [{rule: Secret Read}]
`);
    const xml = formatJUnit(results, { hostname: 'h', timestamp: '2026-01-01T00:00:00' });
    assert.match(
      xml,
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="kaudit rules test" tests="2" failures="1" errors="0"/,
    );
    assert.match(
      xml,
      /<testcase name="ok &lt;&amp;&gt; &quot;quoted&quot; \\u0001" classname="[^"]*x\.tests\.yaml" file="[^"]*" line="2"/,
    );
    assert.match(
      xml,
      /<testcase name="fails"[^>]*line="7"[^>]*>\n {6}<failure message="rule &apos;Secret Read&apos;: expected 1 alert, got no alert/,
    );
    // No raw control character or unescaped markup from a name reaches the XML.
    assert.doesNotMatch(xml, /[\u0000-\u0008]|<&>/);
    assert.equal((xml.match(/<testsuite /g) ?? []).length, 1);
  });

  test('coverage lists the rules no test fires and those no test proves silent', async () => {
    const results = await run(`tests:
  - name: fires
    rule: Secret Read
    events_file: audit.log
    lines: 1
    expect: [{rule: Secret Read}]
  - name: silent, but Pod Deleted is not under test
    rule: Secret Read
    events_file: audit.log
    lines: 2
    expect: [{rule: Secret Read, count: 0}, {rule: Pod Deleted, count: 0}]
`);
    const cov = await computeCoverage(results);
    const text = formatCoverage(cov);
    assert.match(text, /rules fired by a test: 1 of 2/);
    assert.match(text, /rules proved silent on a near miss: 1 of 2/);
    assert.match(text, /no test fires:\n {4}Pod Deleted\n/);
    assert.match(text, /no test proves silent on a near miss:\n {4}Pod Deleted\n/);
  });
});
