// deploy/apiserver/: the audit Policy passes kaudit's own checks, and each webhook
// kubeconfig, read as kube-apiserver reads it, authenticates to a real `kaudit serve`
// configured as deploy/kubernetes/ configures it (token file, client CA).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parse } from 'yaml';
import { runKaudit } from '../helpers/cli.ts';
import { auditEvent } from '../helpers/events.ts';
import { type ClientTls, postAudit } from '../helpers/http-request.ts';
import { eventList, type ServeProcess, startServe } from '../helpers/serve.ts';
import {
  alertedIds,
  EVERY_EVENT_RULE,
  tempDir,
  waitFor,
  writeRules,
} from '../helpers/serve-kit.ts';
import { HAS_SHARED, REPO_ROOT, sharedFixture } from '../helpers/shared.ts';
import { certsUnavailable, makeTestCerts, type TestCerts } from '../helpers/test-certs.ts';

const DIR = join(REPO_ROOT, 'deploy', 'apiserver');
const POLICY = join(DIR, 'audit-policy.yaml');

test('deploy/apiserver/audit-policy.yaml is valid, lints without errors or warnings, and starves no rule', () => {
  const v = runKaudit(['policy', 'validate', POLICY]);
  assert.equal(v.code, 0, v.stdout + v.stderr);
  const lint = runKaudit(['policy', 'lint', POLICY, '--format', 'json']);
  assert.equal(lint.code, 0, lint.stderr);
  const counts = (JSON.parse(lint.stdout) as { counts: Record<string, number> }).counts;
  assert.equal(counts.error, 0, lint.stdout);
  assert.equal(counts.warning, 0, lint.stdout);
  const builtIn = runKaudit(['policy', 'coverage', POLICY, '--format', 'json']);
  assert.equal(builtIn.code, 0, builtIn.stdout);
});

test('deploy/apiserver/audit-policy.yaml starves none of Falco k8s_audit_rules.yaml', {
  skip: HAS_SHARED ? false : 'the shared fixtures (Falco rules) are not here',
}, () => {
  const falco = sharedFixture('falco', 'rules', 'k8s_audit_rules.yaml');
  const r = runKaudit(['policy', 'coverage', POLICY, '-r', falco]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
});

/** What kube-apiserver takes from a webhook kubeconfig: the current context's cluster and user. */
interface WebhookClient {
  readonly server: URL;
  readonly ca: string;
  readonly token?: string;
  readonly clientCert?: string;
  readonly clientKey?: string;
}

function readWebhookKubeconfig(file: string): WebhookClient {
  const k = parse(readFileSync(file, 'utf8')) as {
    kind: string;
    'current-context': string;
    contexts: { name: string; context: { cluster: string; user: string } }[];
    clusters: { name: string; cluster: Record<string, string> }[];
    users: { name: string; user: Record<string, string> }[];
  };
  assert.equal(k.kind, 'Config');
  const ctx = k.contexts.find((c) => c.name === k['current-context'])?.context;
  assert.ok(ctx, 'current-context names a context');
  const cluster = k.clusters.find((c) => c.name === ctx.cluster)?.cluster;
  const user = k.users.find((u) => u.name === ctx.user)?.user;
  assert.ok(cluster && user, 'the context names a cluster and a user');
  return {
    server: new URL(cluster.server as string),
    ca: cluster['certificate-authority'] as string,
    ...(user.token !== undefined ? { token: user.token } : {}),
    ...(user['client-certificate'] !== undefined ? { clientCert: user['client-certificate'] } : {}),
    ...(user['client-key'] !== undefined ? { clientKey: user['client-key'] } : {}),
  };
}

const running: ServeProcess[] = [];
after(async () => {
  for (const s of running) await s.stop('SIGKILL');
});

test('each webhook kubeconfig, used as kube-apiserver uses it, gets its batches into kaudit serve; without its credential they are refused', {
  skip: certsUnavailable() ?? false,
}, async () => {
  const certs: TestCerts = makeTestCerts();
  const dir = tempDir();
  const token = randomBytes(24).toString('hex');
  const tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, `${token}\n`);
  const alerts = join(dir, 'alerts.json');
  const s = await startServe([
    '-r',
    writeRules(dir, EVERY_EVENT_RULE),
    '--tls-cert',
    certs.serverCertFile,
    '--tls-key',
    certs.serverKeyFile,
    '--client-ca',
    certs.caFile,
    '--token-file',
    tokenFile,
    '--output',
    `file:${alerts}`,
  ]);
  running.push(s);
  // The files the kubeconfigs name on the control-plane host, made here.
  const hostFiles: Record<string, string> = {
    'ca.crt': certs.caFile,
    'apiserver-client.crt': certs.clientCertFile,
    'apiserver-client.key': certs.clientKeyFile,
  };
  const onHost = (path: string): Buffer => {
    const local = hostFiles[path.split('/').pop() as string];
    assert.ok(local, `no test file for ${path}`);
    return readFileSync(local);
  };
  const sent: string[] = [];
  for (const name of ['webhook-kubeconfig-token.yaml', 'webhook-kubeconfig-client-cert.yaml']) {
    const c = readWebhookKubeconfig(join(DIR, name));
    assert.equal(c.server.protocol, 'https:', name);
    assert.equal(c.server.port, '9765', name);
    assert.equal(c.server.pathname, '/k8s-audit', name);
    const tls: ClientTls = {
      ca: onHost(c.ca),
      ...(c.clientCert !== undefined ? { cert: onHost(c.clientCert) } : {}),
      ...(c.clientKey !== undefined ? { key: onHost(c.clientKey) } : {}),
    };
    // The token the operator pastes in is a line of kaudit's token file.
    const headers: Record<string, string> =
      c.token !== undefined ? { authorization: `Bearer ${token}` } : {};
    assert.ok(c.token !== undefined || c.clientCert !== undefined, `${name}: no credential`);
    const id = `kubeconfig-${name}`;
    const ok = await postAudit(s.port, eventList([auditEvent({ auditID: id })]), {
      tls,
      headers,
    });
    assert.equal(ok.status, 200, `${name}: ${ok.text}`);
    sent.push(id);
    // The same client without the kubeconfig's credential is refused.
    const bare = await postAudit(s.port, eventList([auditEvent({ auditID: `${id}-bare` })]), {
      tls: { ca: tls.ca },
    });
    assert.equal(bare.status, 401, `${name} without its credential`);
  }
  await waitFor('both batches alerted', () =>
    sent.every((id) => alertedIds(alerts).includes(id)) ? true : undefined,
  );
  assert.deepEqual(alertedIds(alerts).sort(), sent.sort());
});
