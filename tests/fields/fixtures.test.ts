import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { AuditRecord } from '../../src/events/record.ts';
import type { FieldValue } from '../../src/fields/field.ts';
import { createFieldRegistry } from '../../src/fields/index.ts';
import { SHARED_SKIP, sharedFixture } from '../helpers/shared.ts';

const registry = createFieldRegistry();

function trace(name: string): AuditRecord {
  const line = readFileSync(sharedFixture('falco', 'traces', name), 'utf8').split('\n')[0] ?? '';
  return {
    obj: JSON.parse(line) as Record<string, unknown>,
    source: 'k8s_audit',
    timeNs: '1',
    num: 1,
  };
}

function field(name: string, rec: AuditRecord, arg?: string): FieldValue {
  const def = registry.get(name);
  assert.ok(def, name);
  return def.bind(arg)(rec);
}

test('trace exec_pod: uri.param takes the first value, target is the exec subresource', {
  skip: SHARED_SKIP,
}, () => {
  const r = trace('exec_pod.json');
  assert.equal(field('ka.uri.param', r, 'command'), 'bash');
  assert.equal(field('ka.uri.param', r, 'container'), 'nginx1');
  assert.equal(field('ka.target.subresource', r), 'exec');
  assert.equal(field('ka.target.pod.name', r), undefined);
  assert.equal(field('jevt.value', r, '/stage'), 'ResponseStarted');
});

test('trace with a privileged 2nd container: list and deprecated scalar agree', {
  skip: SHARED_SKIP,
}, () => {
  const r = trace('create_nginx_pod_privileged_2nd_container.json');
  assert.deepEqual(field('ka.req.pod.containers.privileged', r), ['false', 'true']);
  assert.deepEqual(field('ka.req.pod.containers.privileged', r, '1'), ['true']);
  assert.equal(field('ka.req.container.privileged', r), 'true');
  assert.deepEqual(field('ka.req.pod.containers.image.repository', r), ['nginx', 'mysql']);
  assert.equal(field('ka.target.pod.name', r), 'nginx-deployment-544b59f8b8-ffkxm');
});

test('trace with a sensitive mount: hostPath prefix match', { skip: SHARED_SKIP }, () => {
  const r = trace('create_nginx_pod_sensitive_mount.json');
  assert.equal(field('ka.req.volume.hostpath', r, '/etc*'), 'true');
  assert.equal(field('ka.req.volume.hostpath', r, '/proc*'), 'false');
  assert.deepEqual(field('ka.req.pod.volumes.hostpath', r), ['/etc']);
});

test('trace with wildcard verbs: role rule lists flatten', { skip: SHARED_SKIP }, () => {
  const r = trace('create_cluster_role_wildcard_verbs.json');
  assert.deepEqual(field('ka.req.role.rules.verbs', r), ['*', 'get']);
  assert.deepEqual(field('ka.req.role.rules.verbs', r, '0'), ['*']);
  assert.equal(field('ka.target.namespace', r), undefined);
});

test('trace attaching cluster-admin: binding role and subjects', { skip: SHARED_SKIP }, () => {
  const r = trace('attach_cluster_admin_role.json');
  assert.equal(field('ka.req.binding.role', r), 'cluster-admin');
  assert.deepEqual(field('ka.req.binding.subjects.user_names', r), ['minikube']);
  assert.equal(field('ka.response.code', r), '201');
});

test('every trace yields contract-shaped values for every k8s_audit field', {
  skip: SHARED_SKIP,
}, () => {
  const files = readdirSync(sharedFixture('falco', 'traces')).filter((f) => f.endsWith('.json'));
  assert.ok(files.length > 40);
  const defs = registry.list('k8s_audit').filter((d) => !d.arg.required);
  for (const f of files) {
    for (const line of readFileSync(sharedFixture('falco', 'traces', f), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      let obj: unknown;
      try {
        obj = JSON.parse(line);
      } catch {
        continue; // some traces are deliberately malformed input for the decoder
      }
      if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) continue;
      const rec: AuditRecord = {
        obj: obj as Record<string, unknown>,
        source: 'k8s_audit',
        timeNs: '1',
        num: 1,
      };
      const hasId = 'auditID' in obj;
      for (const d of defs) {
        const v = d.bind(undefined)(rec);
        if (!hasId && d.name.startsWith('ka.')) assert.equal(v, undefined, `${f} ${d.name}`);
        if (Array.isArray(v)) assert.ok(v.length > 0 && v.every((s) => typeof s === 'string'));
      }
      if (hasId) assert.equal(field('ka.auditid', rec), (obj as { auditID: unknown }).auditID);
    }
  }
});

test('kube-audit-rest sample: kar.* read each AdmissionReview', { skip: SHARED_SKIP }, () => {
  const lines = readFileSync(sharedFixture('kube-audit-rest', 'sample.jsonl'), 'utf8')
    .trim()
    .split('\n');
  assert.ok(lines.length > 0);
  for (const line of lines) {
    const obj = JSON.parse(line) as {
      request: { uid: string; operation: string; userInfo: { username: string } };
    };
    const rec: AuditRecord = {
      obj: obj as unknown as Record<string, unknown>,
      source: 'k8s_admission',
      timeNs: '1',
      num: 1,
    };
    assert.equal(field('kar.uid', rec), obj.request.uid);
    assert.equal(field('kar.verb', rec), obj.request.operation);
    assert.equal(field('kar.user.name', rec), obj.request.userInfo.username);
    assert.equal(field('ka.verb', rec), undefined);
  }
});
