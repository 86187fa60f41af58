import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { generateAuditLog } from '../../examples/audit-log.ts';
import { createEngine, type RuleMatching } from '../../src/engine/index.ts';
import { loadRules } from '../../src/rules/index.ts';
import { AUDIT_EVENT_KEY_ORDER } from '../helpers/key-order.ts';
import { REPO_ROOT } from '../helpers/shared.ts';

const LOG_PATH = join(REPO_ROOT, 'examples', 'audit.log');
const RULES_PATH = join(REPO_ROOT, 'rules', 'kaudit-rules.yaml');

const KEY_ORDER = AUDIT_EVENT_KEY_ORDER;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The incidents of examples/attack-story.ts and the alerts examples/README.md promises
 * for them, as `HH:MM:SS rule` (stageTimestamp, UTC).
 */
const EXPECTED_ALL = [
  '10:20:00 Configmap With Credentials',
  '10:20:00 ConfigMap Created',
  '10:20:01 Pod With Untrusted Image',
  '10:20:21 Pod With Untrusted Image',
  '10:31:07 Anonymous Request Granted',
  '10:33:40 Shell Into Pod',
  '10:38:30 Privileged Container Requested',
  '10:38:30 Sensitive Host Path Mounted',
  '10:38:30 Pod With Untrusted Image',
  '10:39:05 Service Account Added to Control-Plane Namespace',
  '10:39:05 ServiceAccount Created',
  '10:39:20 Binding to cluster-admin',
  '10:39:20 ClusterRoleBinding Created',
  '10:41:02 Audit ID Chosen by Client',
  '10:41:30 Request With Several Source IPs',
  '10:41:30 Secret Read by Unexpected User',
  '10:44:10 Secret Read by Unexpected User',
  '10:57:00 Namespace Deleted',
];
const SHADOWED_UNDER_FIRST = new Set([
  '10:20:00 ConfigMap Created',
  '10:38:30 Sensitive Host Path Mounted',
  '10:38:30 Pod With Untrusted Image',
  '10:39:05 ServiceAccount Created',
  '10:39:20 ClusterRoleBinding Created',
  '10:41:30 Secret Read by Unexpected User',
]);

const text = readFileSync(LOG_PATH, 'utf8');
const events = text
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => JSON.parse(l) as Record<string, unknown>);

function scan(ruleMatching: RuleMatching): string[] {
  const result = loadRules([{ name: RULES_PATH, content: readFileSync(RULES_PATH, 'utf8') }]);
  const engine = createEngine({ rules: result.rules, ruleMatching });
  return events.flatMap((obj, i) =>
    engine
      .process({ obj, source: 'k8s_audit', timeNs: '0', num: i + 1 })
      .map((a) => `${String(obj.stageTimestamp).slice(11, 19)} ${a.rule}`),
  );
}

describe('examples/audit.log', () => {
  test('generateAuditLog() reproduces the committed examples/audit.log byte for byte', () => {
    assert.equal(generateAuditLog(), text);
  });

  test('generateAuditLog() depends on its seed', () => {
    assert.notEqual(generateAuditLog(7), text);
  });

  test('the log holds 1500-3000 events in under 3 MB', () => {
    assert.ok(events.length >= 1500 && events.length <= 3000, String(events.length));
    assert.ok(statSync(LOG_PATH).size < 3 * 1024 * 1024);
  });

  test('every line is an audit.k8s.io/v1 Event with the apiserver key order', () => {
    for (const e of events) {
      assert.equal(e.kind, 'Event');
      assert.equal(e.apiVersion, 'audit.k8s.io/v1');
      const positions = Object.keys(e).map((k) => KEY_ORDER.indexOf(k));
      assert.ok(!positions.includes(-1), `unknown key in ${JSON.stringify(Object.keys(e))}`);
      assert.deepEqual(
        positions,
        [...positions].sort((a, b) => a - b),
      );
    }
  });

  test('every auditID is a UUID except the one spoofed incident', () => {
    const odd = events.map((e) => String(e.auditID)).filter((id) => !UUID.test(id));
    assert.deepEqual([...new Set(odd)], ['kubectl-debug-0001']);
  });

  test('the default ruleset raises the documented alerts with rule_matching all', () => {
    assert.deepEqual(scan('all'), EXPECTED_ALL);
  });

  test('the default ruleset raises one alert per incident event with rule_matching first', () => {
    assert.deepEqual(
      scan('first'),
      EXPECTED_ALL.filter((a) => !SHADOWED_UNDER_FIRST.has(a)),
    );
  });
});
