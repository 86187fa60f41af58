import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createDecoder,
  parseGkeResourceName,
  parseTimestampNs,
  type RejectInfo,
} from '../../src/events/index.ts';
import { auditEvent } from '../helpers/events.ts';

function collect() {
  const rejects: RejectInfo[] = [];
  return { decoder: createDecoder({ onReject: (r) => rejects.push(r) }), rejects };
}

test('decodeLine() unwraps AKS Event Hub records (properties.log text)', () => {
  const { decoder, rejects } = collect();
  const a = auditEvent({ verb: 'get' });
  const b = auditEvent({ verb: 'delete' });
  const line = JSON.stringify({
    records: [
      { category: 'kube-audit', properties: { log: JSON.stringify(a), pod: 'kube-apiserver-1' } },
      { category: 'kube-audit', properties: { log: JSON.stringify(b) } },
    ],
  });
  const recs = decoder.decodeLine(line, 'aks.json', 4);
  assert.deepEqual(
    recs.map((r) => [r.obj.verb, r.source, r.line]),
    [
      ['get', 'k8s_audit', 4],
      ['delete', 'k8s_audit', 4],
    ],
  );
  assert.deepEqual(rejects, []);
});

test('decodeLine() rejects an AKS record whose log is not JSON and keeps the others', () => {
  const { decoder, rejects } = collect();
  const line = JSON.stringify({
    records: [
      { properties: { log: 'I1102 10:15:30 apiserver started' } },
      { properties: { log: JSON.stringify(auditEvent()) } },
      { properties: {} },
    ],
  });
  assert.equal(decoder.decodeLine(line, 'aks.json', 1).length, 1);
  assert.deepEqual(
    rejects.map((r) => [r.reason, r.column]),
    [
      ['invalid_json', undefined],
      ['not_audit_event', undefined],
    ],
  );
});

test('decodeLine() reads EKS CloudWatch export lines and subscription payloads', () => {
  const { decoder, rejects } = collect();
  const ev = auditEvent({ verb: 'patch' });
  const exportLine = JSON.stringify({
    logStreamName: 'kube-apiserver-audit-0123',
    timestamp: 1762078530234,
    message: JSON.stringify(ev),
    ingestionTime: 1762078531000,
    eventId: '1',
  });
  const sub = JSON.stringify({
    messageType: 'DATA_MESSAGE',
    logGroup: '/aws/eks/prod/cluster',
    logEvents: [
      { id: '1', timestamp: 1, message: JSON.stringify(auditEvent({ verb: 'a' })) },
      { id: '2', timestamp: 2, message: JSON.stringify(auditEvent({ verb: 'b' })) },
    ],
  });
  assert.deepEqual(
    decoder.decodeLine(exportLine, 'eks', 1).map((r) => r.obj.verb),
    ['patch'],
  );
  assert.deepEqual(
    decoder.decodeLine(sub, 'eks', 2).map((r) => r.obj.verb),
    ['a', 'b'],
  );
  assert.deepEqual(rejects, []);
});

test('decodeLine() drops CloudWatch messages marked [Truncated...] as event_too_large', () => {
  const { decoder, rejects } = collect();
  const cut = `${JSON.stringify(auditEvent()).slice(0, 200)}[Truncated...]`;
  assert.deepEqual(decoder.decodeLine(JSON.stringify({ message: cut }), 'eks', 9), []);
  assert.deepEqual(
    rejects.map((r) => [r.reason, r.line]),
    [['event_too_large', 9]],
  );
});

test('decodeLine() reads OVH GELF short_message after the app prefix', () => {
  const { decoder } = collect();
  const gelf = {
    short_message: `kube-apiserver> ${JSON.stringify(auditEvent({ verb: 'watch' }))}`,
  };
  const recs = decoder.decodeLine(JSON.stringify({ message: JSON.stringify(gelf) }), 'ovh', 1);
  assert.deepEqual(
    recs.map((r) => r.obj.verb),
    ['watch'],
  );
});

const gkeEntry = (over: Record<string, unknown> = {}, pp: Record<string, unknown> = {}) => ({
  insertId: 'b3a9f5e1-7c1e-4a64-9f1c-000000000001',
  logName: 'projects/demo/logs/cloudaudit.googleapis.com%2Factivity',
  resource: {
    type: 'k8s_cluster',
    labels: { cluster_name: 'prod', location: 'europe-west1', project_id: 'demo' },
  },
  labels: { 'authorization.k8s.io/decision': 'allow' },
  timestamp: '2026-11-02T10:15:30.100000Z',
  receiveTimestamp: '2026-11-02T10:15:30.987654321Z',
  protoPayload: {
    '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
    serviceName: 'k8s.io',
    methodName: 'io.k8s.core.v1.pods.create',
    resourceName: 'core/v1/namespaces/default/pods/web',
    authenticationInfo: { principalEmail: 'alice@example.com' },
    requestMetadata: { callerIp: '203.0.113.7', callerSuppliedUserAgent: 'kubectl/v1.30.1' },
    request: { kind: 'Pod', metadata: { name: 'web' } },
    response: { kind: 'Pod', metadata: { name: 'web', uid: 'u1' } },
    ...pp,
  },
  ...over,
});

test('decodeLine() rebuilds an Event from a GKE LogEntry', () => {
  const { decoder, rejects } = collect();
  const recs = decoder.decodeLine(JSON.stringify(gkeEntry()), 'gke', 1);
  assert.deepEqual(rejects, []);
  assert.equal(recs.length, 1);
  const e = recs[0]!.obj;
  assert.equal(e.kind, 'Event');
  // insertId is Cloud Logging's id: the rebuilt event has no apiserver audit ID.
  assert.equal('auditID' in e, false);
  assert.equal(recs[0]!.format, 'gke');
  assert.equal(e.verb, 'create');
  assert.equal(e.stage, 'ResponseComplete');
  assert.equal(e.requestURI, '/core/v1/namespaces/default/pods/web');
  assert.deepEqual(e.objectRef, {
    apiGroup: 'core',
    apiVersion: 'v1',
    namespace: 'default',
    resource: 'pods',
    name: 'web',
  });
  assert.deepEqual(e.user, { username: 'alice@example.com' });
  assert.deepEqual(e.sourceIPs, ['203.0.113.7']);
  assert.equal(e.userAgent, 'kubectl/v1.30.1');
  assert.equal((e.responseStatus as { code: number }).code, 201);
  assert.deepEqual(e.requestObject, { kind: 'Pod', metadata: { name: 'web' } });
  const ann = e.annotations as Record<string, string>;
  assert.equal(ann.cluster_name, 'prod');
  assert.equal(ann['authorization.k8s.io/decision'], 'allow');
  // metav1.MicroTime: microseconds of receiveTimestamp.
  assert.equal(recs[0]!.timeNs, parseTimestampNs('2026-11-02T10:15:30.987654Z'));
});

test('decodeLine() infers 200 for other verbs and 101 ResponseStarted for exec', () => {
  const { decoder } = collect();
  const get = decoder.decodeLine(
    JSON.stringify(gkeEntry({}, { methodName: 'io.k8s.core.v1.pods.get' })),
    'gke',
    1,
  )[0]!.obj;
  assert.equal((get.responseStatus as { code: number }).code, 200);
  const exec = decoder.decodeLine(
    JSON.stringify(gkeEntry({}, { resourceName: 'core/v1/namespaces/default/pods/web/exec' })),
    'gke',
    2,
  )[0]!.obj;
  assert.equal(exec.stage, 'ResponseStarted');
  assert.equal(exec.level, 'Request');
  assert.equal((exec.responseStatus as { code: number }).code, 101);
});

test('decodeLine() rejects LogEntries that are not GKE Kubernetes audit logs', () => {
  const { decoder } = collect();
  const other = gkeEntry({}, { serviceName: 'compute.googleapis.com' });
  const noTime = gkeEntry({ receiveTimestamp: undefined, timestamp: undefined });
  assert.deepEqual(decoder.decodeLine(JSON.stringify(other), 'gke', 1), []);
  assert.deepEqual(decoder.decodeLine(JSON.stringify(noTime), 'gke', 2), []);
  assert.equal(decoder.stats.rejected.not_audit_event, 1);
  assert.equal(decoder.stats.rejected.missing_timestamp, 1);
});

test('parseGkeResourceName() maps namespaced, cluster-scoped and subresource names', () => {
  assert.deepEqual(parseGkeResourceName('core/v1/namespaces/ns/pods'), {
    apiGroup: 'core',
    apiVersion: 'v1',
    namespace: 'ns',
    resource: 'pods',
  });
  assert.deepEqual(parseGkeResourceName('core/v1/namespaces/ns/pods/p/log'), {
    apiGroup: 'core',
    apiVersion: 'v1',
    namespace: 'ns',
    resource: 'pods',
    name: 'p',
    subresource: 'log',
  });
  assert.deepEqual(parseGkeResourceName('core/v1/namespaces/foo'), {
    apiGroup: 'core',
    apiVersion: 'v1',
    resource: 'namespaces',
    name: 'foo',
  });
  assert.deepEqual(parseGkeResourceName('rbac.authorization.k8s.io/v1/clusterroles/r/status'), {
    apiGroup: 'rbac.authorization.k8s.io',
    apiVersion: 'v1',
    resource: 'clusterroles',
    name: 'r',
    subresource: 'status',
  });
  assert.equal(parseGkeResourceName('core/v1/nodes'), undefined);
});

test('decodeLine() reads the document aws logs filter-log-events prints', () => {
  const { decoder, rejects } = collect();
  const doc = JSON.stringify({
    events: [
      {
        logStreamName: 'kube-apiserver-audit-0123',
        timestamp: 1762078530234,
        message: JSON.stringify(auditEvent({ verb: 'create' })),
        ingestionTime: 1762078531000,
        eventId: '37',
      },
      { logStreamName: 's', timestamp: 2, message: JSON.stringify(auditEvent({ verb: 'x' })) },
    ],
    searchedLogStreams: [],
  });
  const recs = decoder.decodeLine(doc, 'eks.json', 1);
  assert.deepEqual(rejects, []);
  assert.deepEqual(
    recs.map((r) => [r.obj.verb, r.format]),
    [
      ['create', 'eks'],
      ['x', 'eks'],
    ],
  );
  assert.equal(decoder.stats.formats.eks, 2);
  assert.equal(decoder.stats.formats.jsonl, 0);
});

test('decodeLine() reads gcloud logging read output: an array of GKE entries', () => {
  const { decoder, rejects } = collect();
  const arr = JSON.stringify([gkeEntry(), gkeEntry({}, { methodName: 'io.k8s.core.v1.pods.get' })]);
  const recs = decoder.decodeLine(arr, 'gke.json', 1);
  assert.deepEqual(rejects, []);
  assert.deepEqual(
    recs.map((r) => [r.obj.verb, r.format]),
    [
      ['create', 'gke'],
      ['get', 'gke'],
    ],
  );
});

test('decodeLine() gives each record its format and counts them per format', () => {
  const { decoder } = collect();
  const ev = auditEvent();
  const review = {
    kind: 'AdmissionReview',
    apiVersion: 'admission.k8s.io/v1',
    request: { uid: 'u', operation: 'CREATE', userInfo: { username: 'a' } },
    requestReceivedTimestamp: '2026-11-02T10:15:30.1Z',
  };
  const lines = [
    JSON.stringify(ev),
    JSON.stringify({ message: JSON.stringify(ev) }),
    JSON.stringify({ records: [{ properties: { log: JSON.stringify(ev) } }] }),
    JSON.stringify(gkeEntry()),
    JSON.stringify({ short_message: `app> ${JSON.stringify(ev)}` }),
  ];
  const formats = lines.map((l, i) => decoder.decodeLine(l, 'x', i + 1)[0]?.format);
  assert.deepEqual(formats, ['jsonl', 'eks', 'aks', 'gke', 'ovh']);
  const kar = decoder.decodeValue(review, 'x', 9, 100);
  assert.deepEqual(
    kar.map((r) => [r.source, r.format]),
    [['k8s_admission', 'kube-audit-rest']],
  );
  assert.deepEqual(decoder.stats.formats, {
    jsonl: 1,
    eks: 1,
    gke: 1,
    aks: 1,
    ovh: 1,
    'kube-audit-rest': 1,
  });
});

test('createDecoder({ format }) decodes that format only, rejecting others as wrong_format', () => {
  const rejects: RejectInfo[] = [];
  const decoder = createDecoder({ format: 'gke', onReject: (r) => rejects.push(r) });
  assert.equal(decoder.decodeLine(JSON.stringify(auditEvent()), 'a', 1).length, 0);
  assert.equal(
    decoder.decodeLine(JSON.stringify({ message: JSON.stringify(auditEvent()) }), 'a', 2).length,
    0,
  );
  assert.equal(decoder.decodeLine(JSON.stringify(gkeEntry()), 'a', 3).length, 1);
  assert.equal(decoder.stats.rejected.wrong_format, 2);
  assert.match(rejects[0]!.message, /jsonl input, not gke/);
  const auto = createDecoder({ format: 'auto' });
  assert.equal(auto.decodeLine(JSON.stringify(auditEvent()), 'a', 1).length, 1);
});

test('decodeLine() maps a failed GKE request status to its HTTP code', () => {
  const { decoder } = collect();
  const denied = gkeEntry({}, { status: { code: 7, message: 'pods is forbidden' } });
  const e = decoder.decodeLine(JSON.stringify(denied), 'gke', 1)[0]!.obj;
  assert.deepEqual(e.responseStatus, {
    metadata: {},
    status: 'Failure',
    message: 'pods is forbidden',
    code: 403,
  });
});
