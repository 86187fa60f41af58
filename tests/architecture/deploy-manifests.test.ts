import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { REPO_ROOT } from '../helpers/shared.ts';

test('deploy/admission/webhook.yaml never blocks the cluster and leaves kaudit out', () => {
  const doc = parse(readFileSync(join(REPO_ROOT, 'deploy', 'admission', 'webhook.yaml'), 'utf8'));
  assert.equal(doc.kind, 'ValidatingWebhookConfiguration');
  const [hook] = doc.webhooks;
  assert.equal(hook.clientConfig.service.path, '/k8s-admission');
  assert.equal(hook.failurePolicy, 'Ignore');
  assert.equal(hook.sideEffects, 'None');
  assert.ok(hook.timeoutSeconds > 0 && hook.timeoutSeconds <= 10);
  assert.deepEqual(hook.rules[0].operations, ['*']);
  assert.deepEqual(hook.namespaceSelector.matchExpressions[0], {
    key: 'kubernetes.io/metadata.name',
    operator: 'NotIn',
    values: [hook.clientConfig.service.namespace],
  });
});

test('deploy/shippers send to /k8s-audit in a shape serve reads', () => {
  const vector = parse(readFileSync(join(REPO_ROOT, 'deploy', 'shippers', 'vector.yaml'), 'utf8'));
  const sink = vector.sinks.kaudit;
  assert.match(sink.uri, /\/k8s-audit$/);
  assert.equal(sink.framing.method, 'newline_delimited');
  assert.equal(sink.request.headers['Content-Type'], 'application/x-ndjson');
  const fluent = readFileSync(join(REPO_ROOT, 'deploy', 'shippers', 'fluent-bit.conf'), 'utf8');
  assert.match(fluent, /^\s+URI\s+\/k8s-audit$/m);
  assert.match(fluent, /^\s+Format\s+json$/m);
});

// biome-ignore lint/suspicious/noExplicitAny: manifests are free-form YAML, checked field by field below
type Doc = any;

test('deploy/distributed: three NATS nodes routed to each other, serve and detect on all three, probes on readiness', async () => {
  const { parseAllDocuments } = await import('yaml');
  const read = (f: string): Doc[] =>
    parseAllDocuments(readFileSync(join(REPO_ROOT, 'deploy', 'distributed', f), 'utf8')).map(
      (d) => d.toJS() as Doc,
    );
  const nats = read('nats.yaml');
  const sts = nats.find((d) => d.kind === 'StatefulSet');
  assert.equal(sts?.spec.replicas, 3);
  const conf = nats.find((d) => d.kind === 'ConfigMap')?.data['nats.conf'] as string;
  const routes = [...conf.matchAll(/nats-route:\/\/(nats-\d)\.nats\.kaudit\.svc:6222/g)].map(
    (m) => m[1],
  );
  assert.deepEqual(routes, ['nats-0', 'nats-1', 'nats-2']);
  assert.match(conf, /jetstream \{/);

  const kaudit = read('kaudit.yaml');
  const bus = kaudit.find((d) => d.kind === 'ConfigMap')?.data;
  const servers = (bus.KAUDIT_BUS as string).split(',');
  assert.deepEqual(
    servers,
    routes.map((n) => `nats://${n}.nats.kaudit.svc:4222`),
    'clients know every node',
  );
  // serve reads these variables itself (its settings table): they must resolve.
  const { readEnvSettings } = await import('../../src/server/config/load-config.ts');
  const { resolveServeConfig } = await import('../../src/server/config/serve-config.ts');
  const c = resolveServeConfig(readEnvSettings({ ...bus, KAUDIT_STORE: 'postgres://u@pg/k' }));
  assert.deepEqual(c.bus, servers);
  assert.equal(c.busReplicas, 3);
  const deployments = kaudit.filter((d) => d.kind === 'Deployment');
  const serve: Doc = deployments.find((d) => d.metadata.name === 'kaudit-serve');
  const detect: Doc = deployments.find((d) => d.metadata.name === 'kaudit-detect');
  assert.ok(serve.spec.replicas >= 2, 'serve replicas behind one Service');
  assert.ok(detect.spec.replicas >= 2, 'several workers');
  assert.equal(serve.spec.template.spec.containers[0].args[0], 'serve');
  const detectCmd = detect.spec.template.spec.containers[0].args.join(' ') as string;
  assert.match(detectCmd, /kaudit detect .*--bus "\$KAUDIT_BUS".*--store "\$KAUDIT_STORE"/);
  for (const d of [serve, detect] as Doc[]) {
    assert.equal(d.spec.template.spec.containers[0].readinessProbe.httpGet.path, '/readyz');
  }
  const svc: Doc = kaudit.find((d) => d.kind === 'Service');
  assert.equal(svc.spec.selector['app.kubernetes.io/component'], 'serve');
  const pg = read('postgres.yaml');
  assert.ok(pg.some((d) => d.kind === 'StatefulSet' && d.metadata.name === 'postgres'));
});
