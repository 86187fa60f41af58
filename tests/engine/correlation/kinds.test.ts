import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Alert } from '../../../src/engine/index.ts';
import { type CorrelationConfig, createDetector } from '../../../src/pipeline/index.ts';
import { loadRules } from '../../../src/rules/index.ts';
import { auditEvent, recordOf } from '../../helpers/events.ts';

// Each kind of correlation through the detector (engine + correlator), on events whose
// times and order the tests choose. Expected alerts are worked out from the rule's words.

const BASE_MS = Date.UTC(2026, 10, 2, 10, 0, 0);

/** An event by `user` at `sec` seconds (and `us` microseconds) after BASE_MS. */
function ev(user: string, sec: number, over: Record<string, unknown> = {}, us = 0) {
  const stamp = `${new Date(BASE_MS + sec * 1000).toISOString().slice(0, 19)}.${String(us).padStart(6, '0')}Z`;
  return auditEvent({
    user: { username: user, groups: ['system:authenticated'] },
    stageTimestamp: stamp,
    requestReceivedTimestamp: stamp,
    ...over,
  });
}

const forbidden = (user: string, sec: number, us = 0) =>
  ev(user, sec, { verb: 'get', responseStatus: { metadata: {}, code: 403 } }, us);

function run(
  rules: string,
  events: readonly Record<string, unknown>[],
  correlation: CorrelationConfig = {},
) {
  const loaded = loadRules([{ name: 'corr.yaml', content: rules }]);
  assert.equal(loaded.ok, true, JSON.stringify(loaded.errors));
  const d = createDetector(loaded.rules, {
    ruleMatching: 'all',
    hostname: 'h',
    fastpath: false,
    correlation,
  });
  const alerts: Alert[] = [];
  events.forEach((e, i) => {
    alerts.push(...d.process(recordOf(e, i + 1)));
  });
  const beforeFlush = alerts.length;
  alerts.push(...d.finish());
  return { alerts, beforeFlush, stats: d.correlator?.stats };
}

const idOf = (e: Record<string, unknown>) => e.auditID as string;

const BURST = (count: number, within: string) => `
- rule: Burst
  desc: forbidden requests by one user
  correlate:
    type: threshold
    count: ${count}
    within: ${within}
    by: [ka.user.name]
    condition: ka.response.code = 403
  output: burst by %ka.user.name n=%correlation.count
  priority: WARNING
  source: k8s_audit
`;

test('threshold: groups by user, fires on the Nth event with the count, group and auditIDs', () => {
  const a = [forbidden('alice', 0), forbidden('bob', 1), forbidden('alice', 2)];
  const b = [forbidden('bob', 3), forbidden('alice', 4), forbidden('carol', 5)];
  const { alerts } = run(BURST(3, '30s'), [...a, ...b]);
  assert.equal(alerts.length, 1);
  const x = alerts[0] as Alert;
  assert.equal(x.rule, 'Burst');
  assert.deepEqual(x.correlation?.group, { 'ka.user.name': 'alice' });
  assert.equal(x.correlation?.count, 3);
  assert.deepEqual(x.correlation?.auditIds, [idOf(a[0]!), idOf(a[2]!), idOf(b[1]!)]);
  assert.equal(x.message, 'burst by alice n=3');
  // The alert is the event that completed it.
  assert.equal(x.timeNs, recordOf(b[1]!).timeNs);
});

test('threshold: a group starts over after it fired', () => {
  const events = [0, 1, 2, 3, 4].map((s) => forbidden('alice', s));
  assert.equal(run(BURST(3, '30s'), events).alerts.length, 1);
  assert.equal(run(BURST(3, '30s'), [...events, forbidden('alice', 5)]).alerts.length, 2);
});

test('window edges: events exactly one window apart are within it, a microsecond more is not', () => {
  assert.equal(run(BURST(2, '30s'), [forbidden('a', 0), forbidden('a', 30)]).alerts.length, 1);
  assert.equal(run(BURST(2, '30s'), [forbidden('a', 0), forbidden('a', 30, 1)]).alerts.length, 0);
  // The same for a sequence: the window runs from its first step.
  const seq = (lastSec: number, lastUs: number) =>
    run(SEQUENCE, [
      ev('u', 0, DELETE_POD),
      ev('u', 10, CREATE_POD),
      ev('u', lastSec, LIST_PODS, lastUs),
    ]);
  assert.equal(seq(60, 0).alerts.length, 1);
  assert.equal(seq(60, 1).alerts.length, 0);
});

const DELETE_POD = {
  verb: 'delete',
  objectRef: { resource: 'pods', namespace: 'default', name: 'web' },
};
const CREATE_POD = {
  verb: 'create',
  objectRef: { resource: 'pods', namespace: 'default', name: 'web' },
};
const LIST_PODS = { verb: 'list', objectRef: { resource: 'pods', namespace: 'default' } };

const SEQUENCE = `
- rule: Replace Then List
  desc: delete, create, list, in this order, by one user within a minute
  correlate:
    type: sequence
    within: 1m
    by: [ka.user.name]
    steps:
      - name: deleted
        condition: ka.verb = delete and ka.target.resource = pods
      - name: created
        condition: ka.verb = create and ka.target.resource = pods
      - name: listed
        condition: ka.verb = list and ka.target.resource = pods
  output: replaced then listed by %ka.user.name (%correlation.count steps)
  priority: NOTICE
  source: k8s_audit
`;

test('sequence: in order fires once with every step, out of order does not, other users do not join', () => {
  const steps = [ev('u', 0, DELETE_POD), ev('u', 5, CREATE_POD), ev('u', 9, LIST_PODS)];
  const fired = run(SEQUENCE, steps).alerts;
  assert.equal(fired.length, 1);
  assert.deepEqual(fired[0]?.correlation?.auditIds, steps.map(idOf));
  assert.equal(fired[0]?.message, 'replaced then listed by u (3 steps)');
  const reversed = [ev('u', 0, LIST_PODS), ev('u', 5, CREATE_POD), ev('u', 9, DELETE_POD)];
  assert.equal(run(SEQUENCE, reversed).alerts.length, 0);
  const mixed = [ev('u', 0, DELETE_POD), ev('v', 5, CREATE_POD), ev('u', 9, LIST_PODS)];
  assert.equal(run(SEQUENCE, mixed).alerts.length, 0);
});

test('out of order within the tolerance: correlated in event-time order; beyond it, late', () => {
  // Arrival order: list (t=9), create (t=5), delete (t=0); event time says delete first.
  const arrived = [ev('u', 9, LIST_PODS), ev('u', 5, CREATE_POD), ev('u', 0, DELETE_POD)];
  const inTolerance = run(SEQUENCE, arrived, { toleranceMs: 30_000 });
  assert.equal(inTolerance.alerts.length, 1);
  assert.equal(inTolerance.stats?.late, 0);
  // Nothing fires before the events are older than the tolerance: it fired at the flush.
  assert.equal(inTolerance.beforeFlush, 0);
  const withLater = run(SEQUENCE, [...arrived, ev('x', 45)], { toleranceMs: 30_000 });
  assert.equal(withLater.beforeFlush, 1);
  // Without tolerance the earlier steps arrive after the watermark passed them.
  const noTolerance = run(SEQUENCE, arrived, { toleranceMs: 0 });
  assert.equal(noTolerance.alerts.length, 0);
  assert.equal(noTolerance.stats?.late, 2);
});

test('expiry: groups leave memory once event time passes their window', () => {
  const events = [forbidden('a', 0), forbidden('b', 1), forbidden('c', 2)];
  const held = run(BURST(3, '30s'), events, { toleranceMs: 0 });
  assert.equal(held.stats?.groups, 3);
  const later = run(BURST(3, '30s'), [...events, ev('z', 40)], { toleranceMs: 0 });
  assert.equal(later.stats?.groups, 0);
  // Events spread wider than the window never make a count together.
  const spread = [0, 20, 40, 60].map((s) => forbidden('a', s));
  assert.equal(run(BURST(3, '30s'), spread, { toleranceMs: 0 }).alerts.length, 0);
});

test('eviction: beyond maxGroups the least recently updated group is dropped and counted', () => {
  const events = [
    forbidden('a', 0),
    forbidden('a', 1),
    forbidden('b', 2),
    forbidden('c', 3),
    forbidden('a', 4),
  ];
  const roomy = run(BURST(3, '1m'), events, { toleranceMs: 0, maxGroups: 3 });
  assert.equal(roomy.alerts.length, 1);
  assert.equal(roomy.stats?.evicted, 0);
  const tight = run(BURST(3, '1m'), events, { toleranceMs: 0, maxGroups: 2 });
  assert.equal(tight.alerts.length, 0);
  // c evicts a, then a's third event (a group again) evicts b.
  assert.equal(tight.stats?.evicted, 2);
  assert.ok((tight.stats?.groups ?? 0) <= 2);
});

const SUPPRESSED = `
- rule: Configmap Deleted
  desc: a configmap deleted
  condition: ka.verb = delete and ka.target.resource = configmaps
  output: configmap deleted by %ka.user.name
  priority: INFO
  source: k8s_audit
- rule: Configmap Deleted
  suppress:
    within: 1m
    by: [ka.user.name]
  override:
    suppress: replace
`;

const cmDelete = (user: string, sec: number) =>
  ev(user, sec, {
    verb: 'delete',
    objectRef: { resource: 'configmaps', namespace: 'ns', name: 'x' },
  });

test('suppression: one alert per key and window, and the window closes with the count held back', () => {
  const alice = [0, 10, 20, 30, 40].map((s) => cmDelete('alice', s));
  const { alerts } = run(SUPPRESSED, [...alice, cmDelete('bob', 15), cmDelete('alice', 70)], {
    toleranceMs: 0,
  });
  const byAlice = alerts.filter((a) => a.message.startsWith('configmap deleted by alice'));
  // alice at 0 (opens), summary of 10..40 (4), alice at 70 (opens the next window).
  assert.equal(byAlice.length, 3);
  assert.equal(byAlice[0]?.message, 'configmap deleted by alice');
  assert.equal(byAlice[0]?.timeNs, recordOf(alice[0]!).timeNs);
  const summary = alerts.find((a) => a.suppressed !== undefined);
  assert.equal(summary?.suppressed, 4);
  assert.equal(
    summary?.message,
    'configmap deleted by alice (4 similar alerts suppressed within 1m)',
  );
  assert.deepEqual(summary?.correlation?.auditIds, alice.slice(1).map(idOf));
  assert.equal(summary?.outputFields['correlation.suppressed'], '4');
  assert.equal(alerts.filter((a) => a.message.startsWith('configmap deleted by bob')).length, 1);
  assert.equal(alerts.length, 4);
});

test('suppression: an evicted window still reports what it held back', () => {
  const events = [cmDelete('a', 0), cmDelete('a', 1), cmDelete('b', 2), cmDelete('c', 3)];
  const { alerts, stats } = run(SUPPRESSED, events, { toleranceMs: 0, maxGroups: 2 });
  assert.equal(stats?.evicted, 1);
  assert.equal(alerts.find((a) => a.suppressed !== undefined)?.suppressed, 1);
});

const DISTINCT = `
- rule: Secrets Across Namespaces
  desc: one user reads secrets in three namespaces
  correlate:
    type: distinct
    field: ka.target.namespace
    count: 3
    within: 1m
    by: [ka.user.name]
    condition: ka.target.resource = secrets
  output: secrets of %correlation.values read by %ka.user.name
  priority: WARNING
  source: k8s_audit
`;

const secretGet = (user: string, sec: number, ns: string) =>
  ev(user, sec, { verb: 'get', objectRef: { resource: 'secrets', namespace: ns, name: 's' } });

test('distinct: counts each value once per group, fires on the Nth distinct value', () => {
  const repeat = [secretGet('u', 0, 'a'), secretGet('u', 1, 'a'), secretGet('u', 2, 'b')];
  assert.equal(run(DISTINCT, repeat).alerts.length, 0);
  const { alerts } = run(DISTINCT, [...repeat, secretGet('v', 3, 'c'), secretGet('u', 4, 'c')]);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]?.correlation?.count, 3);
  assert.equal(alerts[0]?.message, 'secrets of (a,b,c) read by u');
});

const UNORDERED = `
- rule: Churn
  desc: delete and create pods, either order
  correlate:
    type: unordered
    within: 1m
    by: [ka.user.name]
    steps:
      - name: deleted
        condition: ka.verb = delete and ka.target.resource = pods
      - name: created
        condition: ka.verb = create and ka.target.resource = pods
  output: churn by %ka.user.name
  priority: NOTICE
  source: k8s_audit
`;

test('unordered: every step in the window, in either order', () => {
  assert.equal(run(UNORDERED, [ev('u', 0, CREATE_POD), ev('u', 30, DELETE_POD)]).alerts.length, 1);
  assert.equal(run(UNORDERED, [ev('u', 0, DELETE_POD), ev('u', 30, CREATE_POD)]).alerts.length, 1);
  assert.equal(run(UNORDERED, [ev('u', 0, CREATE_POD), ev('u', 61, DELETE_POD)]).alerts.length, 0);
  assert.equal(run(UNORDERED, [ev('u', 0, CREATE_POD), ev('u', 9, CREATE_POD)]).alerts.length, 0);
});
