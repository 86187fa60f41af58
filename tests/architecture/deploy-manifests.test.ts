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
