import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createEngine } from '../../src/engine/index.ts';
import { createDecoder } from '../../src/events/index.ts';
import { createFieldRegistry, fieldAvailability, formatCaveats } from '../../src/fields/index.ts';
import { loadRules } from '../../src/rules/index.ts';
import { REPO_ROOT } from '../helpers/shared.ts';

const registry = createFieldRegistry();

const gkeLine = JSON.stringify({
  insertId: 'abc',
  logName: 'projects/demo/logs/cloudaudit.googleapis.com%2Factivity',
  resource: { type: 'k8s_cluster', labels: { cluster_name: 'prod' } },
  receiveTimestamp: '2026-11-02T10:15:30.5Z',
  protoPayload: {
    '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
    serviceName: 'k8s.io',
    methodName: 'io.k8s.core.v1.pods.create',
    resourceName: 'core/v1/namespaces/default/pods/web',
    authenticationInfo: { principalEmail: 'alice@example.com' },
  },
});

test('ka.* fields read a rebuilt GKE event although it has no apiserver auditID', () => {
  const rec = createDecoder().decodeLine(gkeLine, 'gke', 1)[0]!;
  assert.equal(registry.get('ka.user.name')!.bind(undefined)(rec), 'alice@example.com');
  assert.equal(registry.get('ka.target.name')!.bind(undefined)(rec), 'web');
  assert.equal(registry.get('ka.auditid')!.bind(undefined)(rec), undefined);
});

test('ka.* fields stay absent on a plain event without auditID (the k8saudit guard)', () => {
  const ev = { kind: 'Event', stageTimestamp: '2026-11-02T10:15:30Z', user: { username: 'a' } };
  const rec = createDecoder().decodeLine(JSON.stringify(ev), 'x', 1)[0]!;
  assert.equal(rec.obj.kind, 'Event');
  assert.equal(registry.get('ka.user.name')!.bind(undefined)(rec), undefined);
});

test('fieldAvailability() tells real, rebuilt and absent fields per format', () => {
  assert.equal(fieldAvailability('gke', 'ka.auditid').availability, 'absent');
  assert.equal(fieldAvailability('gke', 'ka.target.namespace').availability, 'rebuilt');
  assert.equal(fieldAvailability('gke', 'evt.time.iso8601').availability, 'rebuilt');
  assert.equal(fieldAvailability('gke', 'ka.user.name').availability, 'real');
  assert.equal(fieldAvailability('eks', 'ka.auditid').availability, 'real');
  assert.deepEqual(
    formatCaveats(['ka.user.name', 'ka.auditid']).map((c) => [c.format, c.field, c.availability]),
    [['gke', 'ka.auditid', 'absent']],
  );
});

test('the default activity rules fire on GKE entries, which carry no audit ID', () => {
  const path = join(REPO_ROOT, 'rules', 'kaudit-rules.yaml');
  const loaded = loadRules([{ name: path, content: readFileSync(path, 'utf8') }]);
  const engine = createEngine({ rules: loaded.rules, ruleMatching: 'all' });
  const entry = JSON.parse(gkeLine) as { protoPayload: Record<string, unknown> };
  entry.protoPayload.methodName = 'io.k8s.core.v1.secrets.delete';
  entry.protoPayload.resourceName = 'core/v1/namespaces/default/secrets/db-password';
  const rec = createDecoder().decodeLine(JSON.stringify(entry), 'gke', 1)[0]!;
  assert.ok(engine.process(rec).some((a) => a.rule === 'Secret Deleted'));
});
