import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readTestsFile } from '../../src/ruletest/index.ts';

const EVENT = '{kind: Event, apiVersion: audit.k8s.io/v1, stage: ResponseComplete, verb: get}';

function errors(text: string): string[] {
  return readTestsFile('/t/x.tests.yaml', text, { rulesFiles: ['/t/r.yaml'] }).errors.map(
    (e) => `${e.position.line}:${e.position.column} ${e.code} ${e.message}`,
  );
}

describe('readTestsFile', () => {
  test('a case: rule(s), inline events, expectations with counts and output fields', () => {
    const f = readTestsFile(
      '/t/x.tests.yaml',
      `rule_matching: first
tests:
  - name: one
    rule: [A, B]
    events: [${EVENT}]
    expect:
      - {rule: A, output_fields: {ka.verb: get, ka.user.groups: [a, b], ka.target.name: null}}
      - {rule: B, count: 0}
`,
      { rulesFiles: ['/t/r.yaml'] },
    );
    assert.deepEqual(f.errors, []);
    const c = f.cases[0];
    assert.ok(c);
    assert.deepEqual(
      c.rules.map((r) => r.name),
      ['A', 'B'],
    );
    assert.equal(c.ruleMatching, 'first');
    assert.deepEqual(c.load.files, ['/t/r.yaml']);
    assert.equal(c.expect[0]?.count, 1);
    assert.deepEqual(
      [...(c.expect[0]?.outputFields ?? [])],
      [
        ['ka.verb', 'get'],
        ['ka.user.groups', ['a', 'b']],
        ['ka.target.name', null],
      ],
    );
    assert.equal(c.expect[1]?.count, 0);
    assert.equal(c.position.line, 3);
  });

  test('problems are reported at their line and column, and the rest of the file is read', () => {
    const got = errors(`tests:
  - name: no events
    rule: A
    expect: [{rule: A}]
  - name: typo
    rule: A
    events: [${EVENT}]
    expect: [{rule: A, cuont: 2}]
  - name: bad lines
    rule: A
    events_file: log.jsonl
    lines: 9-3
    expect: [{rule: A}]
  - name: ok
    rule: A
    events: [${EVENT}]
    expect: [{rule: A, count: -1}]
  - name: ok2
    rule: A
    events: [${EVENT}]
    expect: [{rule: A}]
  - name: ok2
    rule: A
    events: [${EVENT}]
    expect: [{rule: A}]
`);
    assert.deepEqual(got, [
      "2:5 TEST_ERR_VALIDATE a test needs either 'events' or 'events_file'",
      "8:24 TEST_ERR_VALIDATE unknown key 'cuont' in an expectation (expected one of: rule, count, output_fields)",
      "12:12 TEST_ERR_VALIDATE lines must be a line number or a range such as '3-7'",
      '17:31 TEST_ERR_VALIDATE count must be a whole number, at least 0',
      "22:5 TEST_ERR_VALIDATE another test is named 'ok2'",
    ]);
  });

  test('a file that is not YAML is one positioned problem, not a throw', () => {
    assert.match(errors('tests: [\n  {name: x\n')[0] ?? '', /^\d+:\d+ TEST_ERR_YAML_PARSE /);
  });

  test('without rules_files, --tests rules or rules beside it, the file says what is missing', () => {
    const f = readTestsFile('/nowhere/x.tests.yaml', 'tests: []\n');
    assert.match(f.errors[0]?.message ?? '', /no rules to test/);
  });

  test('events may share parts through YAML aliases; an alias bomb is refused, bounded', () => {
    const f = readTestsFile(
      '/t/x.tests.yaml',
      `tests:
  - name: aliases
    rule: A
    events:
      - {kind: Event, apiVersion: audit.k8s.io/v1, stage: ResponseComplete, verb: get, user: &u {username: alice}}
      - {kind: Event, apiVersion: audit.k8s.io/v1, stage: ResponseComplete, verb: list, user: *u}
    expect: [{rule: A, count: 2}]
`,
      { rulesFiles: ['/t/r.yaml'] },
    );
    assert.deepEqual(f.errors, []);
    const ev = f.cases[0]?.events;
    assert.ok(ev?.kind === 'inline');
    assert.deepEqual(ev.events[1]?.value, {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      stage: 'ResponseComplete',
      verb: 'list',
      user: { username: 'alice' },
    });
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++)
      levels.push(
        `l${i}: &l${i} [${Array(10)
          .fill(i === 1 ? '*a' : `*l${i - 1}`)
          .join(', ')}]`,
      );
    const bomb = `tests:
  - name: bomb
    rule: A
    events:
      - {kind: Event, apiVersion: audit.k8s.io/v1, stage: ResponseComplete, verb: get, x: {${levels.join(', ')}}}
    expect: [{rule: A}]
`;
    const started = performance.now();
    const b = errors(bomb);
    assert.ok(performance.now() - started < 5000);
    assert.equal(b.length, 1);
    assert.match(b[0] ?? '', /^5:9 TEST_ERR_VALIDATE .*alias/i);
  });
});
