import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEngine } from '../../src/engine/index.ts';
import { createDecoder } from '../../src/events/index.ts';
import { loadRules } from '../../src/rules/index.ts';

// Protects the engine's dispatch of k8s_admission rules (src/engine/dispatch.ts): rules
// with a verb requirement sit behind a guard that reads the verb from the event itself,
// which for an AdmissionReview is request.operation, not verb. With the wrong pointer every
// `kar.verb = CREATE` rule stopped firing and no test ran one through the engine.
const RULES = `
- rule: Pod Created Through Admission
  desc: a pod create reached the admission webhook
  condition: kar.verb = CREATE and kar.target.resource = pods
  output: pod %kar.target.namespace/%kar.target.name created by %kar.user.name
  priority: NOTICE
  source: k8s_admission
- rule: Exec Through Admission
  desc: an exec into a pod
  condition: kar.verb in (CONNECT) and kar.target.subresource = exec
  output: exec into %kar.target.name by %kar.user.name (%kar.req.exec.command)
  priority: WARNING
  source: k8s_admission
- rule: Deleted Through Admission
  desc: any delete
  condition: kar.verb = DELETE
  output: deleted %kar.target.resource %kar.target.name
  priority: INFO
  source: k8s_admission
- rule: Audit Create
  desc: must not see admission records
  condition: ka.verb = create
  output: audit create
  priority: INFO
  source: k8s_audit
`;

function review(operation: string, resource: string, sub = '', object: unknown = {}) {
  return {
    kind: 'AdmissionReview',
    apiVersion: 'admission.k8s.io/v1',
    request: {
      uid: `uid-${operation}`,
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource },
      ...(sub === '' ? {} : { subResource: sub }),
      name: 'web',
      namespace: 'shop',
      operation,
      userInfo: { username: 'mallory', groups: ['system:authenticated'] },
      object,
    },
    requestReceivedTimestamp: '2026-11-02T10:00:00.000000000Z',
  };
}

function alertsFor(event: unknown): string[] {
  const loaded = loadRules([{ name: 'admission.yaml', content: RULES }]);
  assert.ok(loaded.ok, JSON.stringify(loaded.errors));
  const engine = createEngine({ rules: loaded.rules, ruleMatching: 'all', hostname: 'h' });
  const records = createDecoder().decodeLine(JSON.stringify(event), 'kar.jsonl', 1);
  assert.equal(records.length, 1);
  return records.flatMap((r) => engine.process(r)).map((a) => `${a.rule}: ${a.message}`);
}

test('a k8s_admission rule on kar.verb fires for its operation, with kar.* output fields', () => {
  const alerts = alertsFor(review('CREATE', 'pods'));
  assert.equal(alerts.length, 1);
  assert.match(
    alerts[0] as string,
    /^Pod Created Through Admission: pod shop\/web created by mallory$/,
  );
});

test('each operation reaches only the rules that require it', () => {
  const exec = review('CONNECT', 'pods', 'exec', {
    kind: 'PodExecOptions',
    apiVersion: 'v1',
    command: ['sh', '-c', 'id'],
  });
  assert.deepEqual(
    alertsFor(exec).map((a) => a.split(':')[0]),
    ['Exec Through Admission'],
  );
  assert.deepEqual(
    alertsFor(review('DELETE', 'pods')).map((a) => a.split(':')[0]),
    ['Deleted Through Admission'],
  );
  assert.deepEqual(alertsFor(review('UPDATE', 'pods')), []);
});
