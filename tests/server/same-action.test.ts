import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { admissionReview, podObject, postTls } from '../helpers/admission.ts';
import { runKaudit } from '../helpers/cli.ts';
import { auditEvent } from '../helpers/events.ts';
import { type ServeProcess, startServe } from '../helpers/serve.ts';
import { certsUnavailable, makeTestCerts, type TestCerts } from '../helpers/test-certs.ts';

// One action: kubernetes-admin creates the privileged pod shop/web. Each format below is
// written here from the exporters' documented shapes, not copied from a capture.
const USER = 'kubernetes-admin';
const NS = 'shop';
const POD = 'web';
const pod = podObject(POD, NS, 'registry.k8s.io/pause:3.9', true);
const created = {
  ...pod,
  metadata: { ...pod.metadata, uid: '3b7d0c52-95c6-4b1e-a2a8-8f0f4b5d1c11' },
};
const event = auditEvent({
  user: { username: USER, groups: ['system:masters', 'system:authenticated'] },
  requestURI: `/api/v1/namespaces/${NS}/pods`,
  objectRef: { resource: 'pods', namespace: NS, name: POD, apiVersion: 'v1' },
  requestObject: pod,
  responseObject: created,
});
const eventText = JSON.stringify(event);
const review = admissionReview({
  uid: 'c2d0e8a4-1f4e-4a3b-9d5e-6f7a8b9c0d1e',
  operation: 'CREATE',
  user: USER,
  resource: 'pods',
  kind: 'Pod',
  namespace: NS,
  name: POD,
  object: pod,
});

const FILES: Readonly<Record<string, string>> = {
  'raw event': `${eventText}\n`,
  'EKS subscription record': `${JSON.stringify({
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: '/aws/eks/prod/cluster',
    logStream: 'kube-apiserver-audit-5f3c1a',
    subscriptionFilters: ['kaudit'],
    logEvents: [{ id: '3791', timestamp: 1762078530234, message: eventText }],
  })}\n`,
  'EKS filter-log-events document': `${JSON.stringify(
    {
      events: [
        {
          logStreamName: 'kube-apiserver-audit-5f3c1a',
          timestamp: 1762078530234,
          message: eventText,
          ingestionTime: 1762078531002,
          eventId: '3791',
        },
      ],
      searchedLogStreams: [],
    },
    null,
    4,
  )}\n`,
  'AKS diagnostic record': `${JSON.stringify({
    records: [
      {
        time: '2026-11-02T10:15:30.2345670Z',
        resourceId:
          '/SUBSCRIPTIONS/X/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/PROD',
        category: 'kube-audit',
        operationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read',
        properties: { log: eventText, stream: 'stdout', pod: 'kube-apiserver-7d9f' },
      },
    ],
  })}\n`,
  'GKE entry': `${JSON.stringify({
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      authenticationInfo: { principalEmail: USER },
      authorizationInfo: [{ granted: true, permission: 'io.k8s.core.v1.pods.create' }],
      methodName: 'io.k8s.core.v1.pods.create',
      request: { '@type': 'core.k8s.io/v1.Pod', ...pod },
      requestMetadata: { callerIp: '10.0.0.12', callerSuppliedUserAgent: 'kubectl/v1.30.1' },
      resourceName: `core/v1/namespaces/${NS}/pods/${POD}`,
      response: { '@type': 'core.k8s.io/v1.Pod', ...created },
      serviceName: 'k8s.io',
    },
    insertId: '1hx7a3ebm6d2k',
    resource: {
      type: 'k8s_cluster',
      labels: { cluster_name: 'prod', location: 'europe-west1', project_id: 'demo' },
    },
    timestamp: '2026-11-02T10:15:30.123456Z',
    severity: 'NOTICE',
    logName: 'projects/demo/logs/cloudaudit.googleapis.com%2Factivity',
    operation: { id: 'a1b2c3d4', producer: 'k8s.io', first: true, last: true },
    receiveTimestamp: '2026-11-02T10:15:30.456789Z',
  })}\n`,
  'kube-audit-rest line': `${JSON.stringify({
    ...review,
    requestReceivedTimestamp: '2026-11-02T10:15:30.123456789Z',
  })}\n`,
};

interface FileAlert {
  readonly rule: string;
  readonly output_fields: Record<string, unknown>;
}

/** What must be the same in every format: the rule (less the source suffix), user, namespace, pod. */
function essence(a: FileAlert): string[] {
  const f = a.output_fields;
  const pick = (k: string) => String(f[`ka.${k}`] ?? f[`kar.${k}`]);
  return [
    a.rule.replace(/ \(admission\)$/, ''),
    pick('user.name'),
    pick('target.namespace'),
    pick('target.name'),
  ];
}

const WANT = [['Privileged Container Requested', USER, NS, POD]];

function parseAlerts(text: string): FileAlert[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as FileAlert);
}

const dir = mkdtempSync(join(tmpdir(), 'kaudit-same-'));
const running: ServeProcess[] = [];
after(async () => {
  for (const s of running) await s.stop('SIGKILL');
});

for (const [name, content] of Object.entries(FILES)) {
  test(`the privileged pod as ${name}: kaudit scan gives the one rule, user, namespace and pod`, () => {
    const file = join(dir, `${name.replace(/ /g, '-')}.json`);
    writeFileSync(file, content);
    const r = runKaudit(['scan', file, '--format', 'json', '--rule-matching', 'all']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.deepEqual(parseAlerts(r.stdout).map(essence), WANT);
  });
}

/** Starts serve over TLS, posts one body, and returns the alerts it wrote on the way out. */
async function alertsViaServe(
  certs: TestCerts,
  path: string,
  body: string,
  contentType: string,
): Promise<{ status: number; text: string; alerts: FileAlert[] }> {
  const dataDir = mkdtempSync(join(dir, 'serve-'));
  const out = join(dataDir, 'alerts.json');
  const s = await startServe(
    [
      '--tls-cert',
      certs.serverCertFile,
      '--tls-key',
      certs.serverKeyFile,
      '--rule-matching',
      'all',
      '--output',
      `file:${out}`,
    ],
    { dataDir },
  );
  running.push(s);
  const r = await postTls(s.port, path, body, certs.read(certs.caFile), contentType);
  assert.equal(await s.stop(), 0);
  return { status: r.status, text: r.text, alerts: parseAlerts(readFileSync(out, 'utf8')) };
}

const SERVED: readonly (readonly [string, string, string, string])[] = [
  ['admission review', '/k8s-admission', JSON.stringify(review), 'application/json'],
  // Fluent Bit's http output, format json: an array of records, the parsed event plus `date`.
  [
    'Fluent Bit payload',
    '/k8s-audit',
    JSON.stringify([{ date: 1762078530.234567, ...event }]),
    'application/json',
  ],
  // Vector's http sink, newline-delimited JSON: the file source's record, the line in `message`.
  [
    'Vector payload',
    '/k8s-audit',
    `${JSON.stringify({
      file: '/var/log/kubernetes/audit/audit.log',
      host: 'control-plane-1',
      message: eventText,
      source_type: 'file',
      timestamp: '2026-11-02T10:15:30.300000Z',
    })}\n`,
    'application/x-ndjson',
  ],
];

for (const [name, path, body, type] of SERVED) {
  test(`the privileged pod as ${name} to serve: the one rule, user, namespace and pod`, {
    skip: certsUnavailable(),
  }, async () => {
    const certs = makeTestCerts();
    const r = await alertsViaServe(certs, path, body, type);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.alerts.map(essence), WANT);
  });
}
