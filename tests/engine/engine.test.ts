import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEngine } from '../../src/engine/index.ts';
import { formatAlertJson, formatAlertText, formatSummary } from '../../src/outputs/index.ts';
import { loadRules } from '../../src/rules/index.ts';
import { auditEvent, recordOf } from '../helpers/events.ts';
import { FALCO_ALERT_KEYS } from '../helpers/falco-alert.ts';

const RULES = `
- list: admins
  items: [alice@example.com, root]
- macro: created
  condition: ka.verb = create
- rule: Pod Created
  desc: a pod was created
  condition: created and ka.target.resource = pods
  output: pod %ka.target.namespace/%ka.target.name created by %ka.user.name (image=%ka.req.pod.containers.image reason=%ka.auth.reason impuser=%ka.impuser.name)
  priority: NOTICE
  source: k8s_audit
  tags: [k8s, pods]
- rule: Admin Activity
  desc: anything by an admin
  condition: ka.user.name in (admins)
  output: admin %ka.user.name did %ka.verb
  priority: WARNING
  source: k8s_audit
  tags: [users]
- rule: Deletes
  desc: deletes
  condition: ka.verb = delete
  output: deleted %ka.target.resource
  priority: INFO
  source: k8s_audit
`;

function load(extra = '') {
  const r = loadRules([{ name: 'test.yaml', content: RULES + extra }]);
  assert.equal(r.ok, true, JSON.stringify(r.errors));
  return r;
}

test('createEngine() with rule_matching first fires only the first matching rule', () => {
  const engine = createEngine({ rules: load().rules, ruleMatching: 'first', hostname: 'h' });
  const alerts = engine.process(recordOf(auditEvent()));
  assert.deepEqual(
    alerts.map((a) => a.rule),
    ['Pod Created'],
  );
});

test('createEngine() with rule_matching all fires every matching rule in definition order', () => {
  const engine = createEngine({ rules: load().rules, ruleMatching: 'all', hostname: 'h' });
  const alerts = engine.process(recordOf(auditEvent()));
  assert.deepEqual(
    alerts.map((a) => a.rule),
    ['Pod Created', 'Admin Activity'],
  );
});

test('the verb index still runs rules without a verb constraint for every verb', () => {
  const engine = createEngine({ rules: load().rules, ruleMatching: 'all', hostname: 'h' });
  const get = engine.process(recordOf(auditEvent({ verb: 'get' })));
  assert.deepEqual(
    get.map((a) => a.rule),
    ['Admin Activity'],
  );
  const del = engine.process(recordOf(auditEvent({ verb: 'delete', user: { username: 'bob' } })));
  assert.deepEqual(
    del.map((a) => a.rule),
    ['Deletes'],
  );
  const noVerb = engine.process(recordOf(auditEvent({ verb: undefined })));
  assert.deepEqual(
    noVerb.map((a) => a.rule),
    ['Admin Activity'],
  );
  // Every ka.* field is absent without an auditID: nothing can match.
  assert.deepEqual(engine.process(recordOf(auditEvent({ auditID: undefined }))), []);
});

test('minPriority and enabled: false keep rules out of the dispatch', () => {
  const r = load();
  const onlyWarn = createEngine({
    rules: r.rules,
    ruleMatching: 'all',
    minPriority: 'Warning',
    hostname: 'h',
  });
  assert.deepEqual(
    onlyWarn.activeRules.map((x) => x.name),
    ['Admin Activity'],
  );
  const disabled = load(
    '- rule: Admin Activity\n  enabled: false\n  override:\n    enabled: replace\n',
  );
  const e = createEngine({ rules: disabled.rules, ruleMatching: 'all', hostname: 'h' });
  assert.deepEqual(
    e.process(recordOf(auditEvent())).map((a) => a.rule),
    ['Pod Created'],
  );
});

test('alerts render Falco text and JSON, with <NA>/null for absent fields', () => {
  const engine = createEngine({
    rules: load().rules,
    ruleMatching: 'first',
    hostname: 'test-host',
  });
  const [a] = engine.process(recordOf(auditEvent()));
  assert.ok(a);
  assert.equal(
    a.message,
    'pod default/web created by alice@example.com (image=(nginx:1.27) reason= impuser=<NA>)',
  );
  assert.equal(a.timeNs, '1793614530234567000');
  process.env.TZ = 'UTC';
  assert.match(formatAlertText(a), /^\d\d:\d\d:\d\d\.234567000: Notice pod default\/web created/);
  const json = formatAlertJson(a, { isoTime: false });
  const parsed = JSON.parse(json) as Record<string, unknown>;
  assert.deepEqual(Object.keys(parsed), FALCO_ALERT_KEYS);
  assert.equal(parsed.time, '2026-11-02T10:15:30.234567000Z');
  assert.equal(parsed.priority, 'Notice');
  assert.equal(parsed.source, 'k8s_audit');
  assert.deepEqual(parsed.tags, ['k8s', 'pods']);
  const fields = parsed.output_fields as Record<string, unknown>;
  assert.equal(fields['ka.impuser.name'], null);
  assert.deepEqual(fields['ka.req.pod.containers.image'], ['nginx:1.27']);
  // evt.time is written as the exact nanosecond integer, which JSON.parse rounds.
  assert.match(json, /"evt\.time":1793614530234567000[,}]/);
});

test("formatSummary() prints Falco's end-of-run summary", () => {
  const engine = createEngine({ rules: load().rules, ruleMatching: 'all', hostname: 'h' });
  engine.process(recordOf(auditEvent()));
  engine.process(recordOf(auditEvent({ verb: 'delete', user: { username: 'bob' } })));
  assert.equal(
    formatSummary(engine.stats),
    [
      'Events detected: 3',
      'Rule counts by severity:',
      '   WARNING: 1',
      '   NOTICE: 1',
      '   INFO: 1',
      'Triggered rules by rule name:',
      '   Pod Created: 1',
      '   Admin Activity: 1',
      '   Deletes: 1',
      '',
    ].join('\n'),
  );
});

test('the verb index reaches rules written with jevt.value[/verb], even without an auditID', () => {
  const r = loadRules([
    {
      name: 'v.yaml',
      content:
        '- rule: Raw Verb\n  desc: d\n  condition: jevt.value[/verb] = create\n  output: raw %jevt.value[/verb]\n  priority: INFO\n  source: k8s_audit\n',
    },
  ]);
  const engine = createEngine({ rules: r.rules, ruleMatching: 'all', hostname: 'h' });
  assert.deepEqual(
    engine.process(recordOf(auditEvent({ auditID: undefined }))).map((a) => a.rule),
    ['Raw Verb'],
  );
  assert.deepEqual(engine.process(recordOf(auditEvent({ verb: 'get' }))), []);
});
