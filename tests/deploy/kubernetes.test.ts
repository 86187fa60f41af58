// deploy/kubernetes/kaudit.yaml: the manifest is what the issue asks (non-root, read-only
// root filesystem, limits, probes on real routes), its configuration loads and matches
// examples/kaudit.yaml, and `kaudit serve` runs from it: every volume the Deployment mounts
// is laid out as the kubelet would, and the apiserver's batches turn into alerts.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { mergeSettings, readConfigFile } from '../../src/server/config/load-config.ts';
import { resolveServeConfig } from '../../src/server/config/serve-config.ts';
import { auditEvent } from '../helpers/events.ts';
import { postAudit } from '../helpers/http-request.ts';
import { eventList, type ServeProcess, startServe } from '../helpers/serve.ts';
import { readAlerts, runServeToExit, tempDir, waitFor } from '../helpers/serve-kit.ts';
import { REPO_ROOT } from '../helpers/shared.ts';
import { type Receiver, startReceiver } from '../helpers/sidekick-receiver.ts';
import { certsUnavailable, makeTestCerts } from '../helpers/test-certs.ts';

// biome-ignore lint/suspicious/noExplicitAny: manifests are free-form YAML
type Obj = any;

const MANIFEST = join(REPO_ROOT, 'deploy', 'kubernetes', 'kaudit.yaml');
const DOCS: Obj[] = parseAllDocuments(readFileSync(MANIFEST, 'utf8')).map((d) => d.toJS());
const find = (kind: string, name: string): Obj => {
  const o = DOCS.find((d) => d.kind === kind && d.metadata.name === name);
  assert.ok(o, `${kind}/${name} in the manifest`);
  return o;
};
const DEPLOYMENT = find('Deployment', 'kaudit');
const POD = DEPLOYMENT.spec.template.spec;
const CONTAINER = POD.containers[0];
const CONFIG_TEXT: string = find('ConfigMap', 'kaudit-config').data['kaudit.yaml'];

test('the Deployment runs as non-root on a read-only root filesystem, with limits and probes on the webhook port', () => {
  assert.equal(POD.securityContext.runAsNonRoot, true);
  assert.ok(POD.securityContext.runAsUser > 0);
  assert.equal(CONTAINER.securityContext.readOnlyRootFilesystem, true);
  assert.equal(CONTAINER.securityContext.allowPrivilegeEscalation, false);
  assert.deepEqual(CONTAINER.securityContext.capabilities.drop, ['ALL']);
  assert.ok(CONTAINER.resources.limits.cpu && CONTAINER.resources.limits.memory);
  assert.ok(CONTAINER.resources.requests.cpu && CONTAINER.resources.requests.memory);
  const port = CONTAINER.ports.find((p: Obj) => p.name === 'webhook');
  const listen = resolveServeConfig(mergeSettings(configOf(CONFIG_TEXT))).listen;
  assert.equal(port.containerPort, listen.port);
  assert.equal(listen.host, '0.0.0.0');
  for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
    assert.equal(CONTAINER[probe].httpGet.port, 'webhook', probe);
  }
  assert.equal(CONTAINER.readinessProbe.httpGet.path, '/readyz');
  assert.equal(CONTAINER.livenessProbe.httpGet.path, '/healthz');
  // SIGTERM drains for up to 20 s and gives the outputs 5 s more to close.
  assert.ok(POD.terminationGracePeriodSeconds > 25);
  const svc = find('Service', 'kaudit');
  assert.deepEqual(svc.spec.selector, DEPLOYMENT.spec.selector.matchLabels);
  assert.equal(svc.spec.ports[0].targetPort, 'webhook');
  assert.equal(svc.spec.ports[0].port, listen.port);
});

/** Reads config text through the real loader (a file, as `--config` does). */
function configOf(text: string) {
  const file = join(tempDir(), 'kaudit.yaml');
  writeFileSync(file, text);
  return readConfigFile(file);
}

test('the ConfigMap holds the configuration of examples/kaudit.yaml, key for key', () => {
  const fromManifest = resolveServeConfig(mergeSettings(configOf(CONFIG_TEXT)));
  const example = resolveServeConfig(
    mergeSettings(readConfigFile(join(REPO_ROOT, 'examples', 'kaudit.yaml'))),
  );
  assert.deepEqual(fromManifest, example);
});

const running: ServeProcess[] = [];
const receivers: Receiver[] = [];
after(async () => {
  for (const s of running) await s.stop('SIGKILL');
  for (const r of receivers) await r.close();
});

/**
 * Lays the Pod's volumes out under `root` as the kubelet mounts them (ConfigMap keys as
 * files; Secrets from `secrets`; volumes for data empty), and returns the configuration
 * text with every path moved under `root` (the image's /app/ is the repository).
 */
function layOut(root: string, secrets: Record<string, Record<string, string>>, sidekick: string) {
  const volumes = new Map<string, Obj>(POD.volumes.map((v: Obj) => [v.name, v]));
  const writable: string[] = [];
  for (const m of CONTAINER.volumeMounts) {
    const dir = join(root, m.mountPath);
    mkdirSync(dir, { recursive: true });
    const v = volumes.get(m.name);
    assert.ok(v, `volume ${m.name}`);
    const files: Record<string, string> =
      v.configMap !== undefined
        ? find('ConfigMap', v.configMap.name).data
        : v.secret !== undefined
          ? (secrets[v.secret.secretName] ?? {})
          : {};
    if (v.secret !== undefined) {
      // The manifest's own Secret has the same keys, empty until the operator fills them.
      const shipped = find('Secret', v.secret.secretName).stringData;
      assert.deepEqual(Object.keys(files).sort(), Object.keys(shipped).sort(), m.name);
    }
    for (const [k, text] of Object.entries(files)) writeFileSync(join(dir, k), text);
    if (m.readOnly !== true) writable.push(m.mountPath);
  }
  const mounts = CONTAINER.volumeMounts.map((m: Obj) => m.mountPath as string);
  const moved = (path: string): string => {
    if (path.startsWith('/app/')) return join(REPO_ROOT, path.slice('/app/'.length));
    assert.ok(
      mounts.some((p: string) => path === p || path.startsWith(`${p}/`)),
      `${path} is on no volume: the root filesystem is read-only`,
    );
    return join(root, path);
  };
  const config = resolveServeConfig(mergeSettings(configOf(CONFIG_TEXT)));
  // What serve writes must be on a writable volume.
  const fileOutputs = config.outputs
    .filter((o) => o.startsWith('file:'))
    .map((o) => o.slice('file:'.length));
  for (const p of [config.dataDir, config.store, ...fileOutputs]) {
    assert.ok(
      writable.some((w) => p === w || p.startsWith(`${w}/`)),
      `${p} is not on a writable volume`,
    );
  }
  const text = CONFIG_TEXT.replace(/(?<=[\s:])\/(app|etc|var)\/[^\s,\]]*/g, (p) =>
    moved(p),
  ).replace(/http:\/\/falcosidekick[^\s]*/, sidekick);
  writeFileSync(join(root, CONTAINER.args[2]), text);
  return { config: join(root, CONTAINER.args[2]), alerts: moved(fileOutputs[0] as string) };
}

const LOCAL_RULE = 'Secret Deleted in Production';

test('kaudit serve runs from the manifest: its volumes, its configuration, its local rules; empty Secrets stop the start', {
  skip: certsUnavailable() ?? false,
}, async () => {
  assert.deepEqual(CONTAINER.args.slice(0, 2), ['serve', '--config']);
  const certs = makeTestCerts();
  const token = randomBytes(24).toString('hex');
  const secrets = {
    'kaudit-webhook': { token: `${token}\n` },
    'kaudit-tls': {
      'tls.crt': readFileSync(certs.serverCertFile, 'utf8'),
      'tls.key': readFileSync(certs.serverKeyFile, 'utf8'),
      'client-ca.crt': readFileSync(certs.caFile, 'utf8'),
    },
    'kaudit-api': { tokens: `${randomBytes(24).toString('hex')} admin\n` },
  };
  const receiver = await startReceiver();
  receivers.push(receiver);
  const root = tempDir();
  const { config, alerts } = layOut(root, secrets, receiver.url);
  // The manifest's listen address (0.0.0.0:9765) is replaced by a free loopback port.
  const s = await startServe(['--config', config]);
  running.push(s);
  // A UUID auditID, as the apiserver makes (a built-in rule flags any other).
  const deleted = auditEvent({
    verb: 'delete',
    requestURI: '/api/v1/namespaces/prod-payments/secrets/db',
    objectRef: { resource: 'secrets', namespace: 'prod-payments', name: 'db', apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 200 },
    requestObject: undefined,
  });
  const tls = { ca: readFileSync(certs.caFile) };
  const r = await postAudit(s.port, eventList([deleted]), {
    tls,
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(r.status, 200, r.text);
  const a = await waitFor('the local rule in the file output', () =>
    readAlerts(alerts).find((x) => x.rule === LOCAL_RULE),
  );
  assert.equal(a.priority, 'Warning');
  const { cluster } = resolveServeConfig(mergeSettings(configOf(CONFIG_TEXT)));
  assert.equal((a.output_fields as Record<string, unknown>)['ka.cluster.name'], cluster);
  assert.match(String(a.output), /Secret prod-payments\/db deleted by alice@example.com/);
  await waitFor('the alert at falcosidekick', () =>
    receiver.requests.some((q) => q.payload?.rule === LOCAL_RULE) ? true : undefined,
  );
  assert.ok(receiver.requests.every((q) => q.error === undefined));
  assert.equal(await s.stop(), 0, s.stderr());

  // As shipped, the Secrets are empty: kaudit refuses to start rather than run open.
  const shipped = tempDir();
  const empty = layOut(
    shipped,
    {
      'kaudit-webhook': { token: '' },
      'kaudit-tls': secrets['kaudit-tls'],
      'kaudit-api': { tokens: '' },
    },
    receiver.url,
  );
  const refused = runServeToExit(['--config', empty.config]);
  assert.equal(refused.timedOut, false, 'kaudit started with empty Secrets');
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /token/);
});

test('the image of deploy/Dockerfile runs as the manifest’s user, from /app, with the built-in rules where the configuration looks', () => {
  const docker = readFileSync(join(REPO_ROOT, 'deploy', 'Dockerfile'), 'utf8');
  const user = /^USER (\d+):(\d+)$/m.exec(docker);
  assert.ok(user, 'the Dockerfile sets a numeric USER');
  assert.equal(Number(user[1]), POD.securityContext.runAsUser);
  assert.equal(Number(user[2]), POD.securityContext.runAsGroup);
  assert.match(docker, /^WORKDIR \/app$/m);
  assert.match(docker, /^COPY --from=build \/app\/rules \.\/rules$/m);
  const { rules } = resolveServeConfig(mergeSettings(configOf(CONFIG_TEXT)));
  const inImage = rules.filter((r) => r.startsWith('/app/'));
  assert.ok(inImage.length > 0);
  for (const r of inImage) {
    assert.doesNotThrow(() => readFileSync(join(REPO_ROOT, r.slice('/app/'.length))), r);
  }
});
