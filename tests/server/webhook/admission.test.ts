import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { admissionReview, podObject, postTls, type ReviewSpec } from '../../helpers/admission.ts';
import { type ServeProcess, startServe } from '../../helpers/serve.ts';
import { certsUnavailable, makeTestCerts } from '../../helpers/test-certs.ts';

const running: ServeProcess[] = [];
after(async () => {
  for (const s of running) await s.stop('SIGKILL');
});

interface FileAlert {
  readonly rule: string;
  readonly source: string;
  readonly output_fields: Record<string, unknown>;
}

function readAlerts(file: string): FileAlert[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as FileAlert);
}

const REVIEWS: readonly ReviewSpec[] = [
  {
    uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
    operation: 'CREATE',
    user: 'alice',
    resource: 'pods',
    kind: 'Pod',
    namespace: 'shop',
    name: 'web',
    object: podObject('web', 'shop', 'registry.k8s.io/pause:3.9', true),
  },
  {
    uid: '705ab4f5-6393-11e8-b7cc-42010a800003',
    operation: 'UPDATE',
    user: 'bob',
    group: 'rbac.authorization.k8s.io',
    resource: 'clusterroles',
    kind: 'ClusterRole',
    name: 'system:aggregate-to-edit',
    object: { kind: 'ClusterRole', metadata: { name: 'system:aggregate-to-edit' }, rules: [] },
    oldObject: { kind: 'ClusterRole', metadata: { name: 'system:aggregate-to-edit' } },
  },
  {
    uid: '705ab4f5-6393-11e8-b7cc-42010a800004',
    operation: 'DELETE',
    user: 'bob',
    group: 'rbac.authorization.k8s.io',
    resource: 'clusterroles',
    kind: 'ClusterRole',
    name: 'system:controller:job-controller',
    oldObject: { kind: 'ClusterRole', metadata: { name: 'system:controller:job-controller' } },
  },
  {
    uid: '705ab4f5-6393-11e8-b7cc-42010a800005',
    operation: 'CONNECT',
    user: 'carol',
    resource: 'pods',
    subResource: 'exec',
    kind: 'PodExecOptions',
    namespace: 'shop',
    name: 'db-0',
    object: { kind: 'PodExecOptions', apiVersion: 'v1', command: ['sh'], stdin: true, tty: true },
  },
];

test('POST /k8s-admission over TLS allows create, update, delete and connect at once, echoing the uid, and their k8s_admission rules fire', {
  skip: certsUnavailable(),
}, async () => {
  const certs = makeTestCerts();
  const dataDir = mkdtempSync(join(tmpdir(), 'kaudit-admission-'));
  const file = join(dataDir, 'alerts.json');
  const s = await startServe(
    [
      '--tls-cert',
      certs.serverCertFile,
      '--tls-key',
      certs.serverKeyFile,
      '--output',
      `file:${file}`,
    ],
    { dataDir },
  );
  running.push(s);
  const ca = certs.read(certs.caFile);
  for (const spec of REVIEWS) {
    const r = await postTls(s.port, '/k8s-admission', JSON.stringify(admissionReview(spec)), ca);
    assert.equal(r.status, 200, r.text);
    assert.match(r.contentType, /^application\/json/);
    assert.equal(
      r.text,
      `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"${spec.uid}","allowed":true}}`,
    );
  }
  // The uid is attacker-controlled text: it is escaped, and v1beta1 is answered in v1beta1.
  const odd = {
    ...admissionReview({ ...REVIEWS[2]!, uid: 'a"b\\c</' }),
    apiVersion: 'admission.k8s.io/v1beta1',
  };
  const r = await postTls(s.port, '/k8s-admission', JSON.stringify(odd), ca);
  assert.equal(
    r.text,
    '{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","response":{"uid":"a\\"b\\\\c</","allowed":true}}',
  );
  assert.equal(await s.stop(), 0);
  const got = readAlerts(file)
    .map((a) => [
      a.rule,
      a.source,
      a.output_fields['kar.user.name'],
      a.output_fields['kar.target.name'] ?? a.output_fields['kar.target.namespace'],
    ])
    .sort();
  assert.deepEqual(got, [
    [
      'Built-in ClusterRole Changed (admission)',
      'k8s_admission',
      'bob',
      'system:aggregate-to-edit',
    ],
    [
      'Built-in ClusterRole Changed (admission)',
      'k8s_admission',
      'bob',
      'system:controller:job-controller',
    ],
    [
      'Built-in ClusterRole Changed (admission)',
      'k8s_admission',
      'bob',
      'system:controller:job-controller',
    ],
    ['Privileged Container Requested (admission)', 'k8s_admission', 'alice', 'web'],
    ['Shell Into Pod (admission)', 'k8s_admission', 'carol', 'db-0'],
  ]);
});

test('POST /k8s-admission is refused without TLS, and for a body that is not an AdmissionReview', {
  skip: certsUnavailable(),
}, async () => {
  const plain = await startServe([]);
  running.push(plain);
  const review = JSON.stringify(admissionReview(REVIEWS[0]!));
  const r = await fetch(`http://127.0.0.1:${plain.port}/k8s-admission`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: review,
  });
  assert.equal(r.status, 400);
  assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'HTTPS_REQUIRED');
  await plain.stop();

  const certs = makeTestCerts();
  const s = await startServe([
    '--tls-cert',
    certs.serverCertFile,
    '--tls-key',
    certs.serverKeyFile,
  ]);
  running.push(s);
  const ca = certs.read(certs.caFile);
  // The same TLS listener refuses plain HTTP on this route.
  const viaHttp = await fetch(`http://127.0.0.1:${s.port}/k8s-admission`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: review,
  });
  assert.equal(viaHttp.status, 400);
  const event = await postTls(s.port, '/k8s-admission', JSON.stringify({ kind: 'Event' }), ca);
  assert.equal(event.status, 400);
  assert.match(event.text, /NOT_ADMISSION_REVIEW/);
  const noUid = admissionReview(REVIEWS[0]!);
  delete (noUid.request as Record<string, unknown>).uid;
  const r2 = await postTls(s.port, '/k8s-admission', JSON.stringify(noUid), ca);
  assert.equal(r2.status, 400);
  assert.match(r2.text, /NO_UID/);
  // Malformed JSON is refused with where it broke, as on /k8s-audit.
  const broken = await postTls(
    s.port,
    '/k8s-admission',
    '{"kind":"AdmissionReview",\n  "request": {]}',
    ca,
  );
  assert.equal(broken.status, 400);
  const err = (JSON.parse(broken.text) as { error: { code: string; line: number; column: number } })
    .error;
  assert.deepEqual([err.code, err.line, err.column], ['INVALID_JSON', 2, 15]);
  await s.stop();
});
