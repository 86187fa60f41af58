import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createDetector } from '../../src/pipeline/index.ts';
import { loadRules } from '../../src/rules/index.ts';
import { auditEvent, recordOf } from '../helpers/events.ts';
import { REPO_ROOT } from '../helpers/shared.ts';

// The correlation rules of rules/kaudit-stateful-rules.yaml (with kaudit-rules.yaml), each on event sequences that
// must fire it and near misses that must not (events judged alone live in
// tests/fixtures/default-rules/; a correlated rule needs several, so its cases are here).

const RULES_PATH = join(REPO_ROOT, 'rules', 'kaudit-rules.yaml');
const CORRELATION_PATH = join(REPO_ROOT, 'rules', 'kaudit-stateful-rules.yaml');
const loaded = loadRules(
  [RULES_PATH, CORRELATION_PATH].map((name) => ({ name, content: readFileSync(name, 'utf8') })),
);

const T0 = Date.UTC(2026, 10, 2, 10, 0, 0);
type Event = Record<string, unknown>;

/** An event at `sec` seconds after T0 by `user`. */
function at(sec: number, user: string, over: Event = {}): Event {
  const stamp = new Date(T0 + sec * 1000).toISOString().replace('Z', '000Z');
  return auditEvent({
    level: 'Metadata',
    requestObject: undefined,
    user: { username: user, groups: ['system:authenticated'] },
    stageTimestamp: stamp,
    requestReceivedTimestamp: stamp,
    ...over,
  });
}

function fired(events: readonly Event[]): string[] {
  const d = createDetector(loaded.rules, { ruleMatching: 'all', hostname: 'h', fastpath: false });
  const names: string[] = [];
  events.forEach((e, i) => {
    for (const a of d.process(recordOf(e, i + 1))) names.push(a.rule);
  });
  for (const a of d.finish()) names.push(a.rule);
  return names;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

const denied = (sec: number, user: string, verb = 'get', resource = 'secrets') =>
  at(sec, user, {
    verb,
    objectRef: { resource, namespace: 'default', apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 403 },
    annotations: { 'authorization.k8s.io/decision': 'forbid' },
  });

const secretGet = (sec: number, user: string, ns: string, name = 'db') =>
  at(sec, user, {
    verb: 'get',
    objectRef: { resource: 'secrets', namespace: ns, name, apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 200 },
  });

const saCreated = (sec: number, ns: string, name: string) =>
  at(sec, 'alice@example.com', {
    verb: 'create',
    objectRef: { resource: 'serviceaccounts', namespace: ns, name, apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 201 },
  });

const bound = (sec: number, ns: string, name: string, role: string) =>
  at(sec, 'alice@example.com', {
    level: 'Request',
    verb: 'create',
    objectRef: {
      resource: 'clusterrolebindings',
      name: `${name}-binding`,
      apiGroup: 'rbac.authorization.k8s.io',
      apiVersion: 'v1',
    },
    responseStatus: { metadata: {}, code: 201 },
    requestObject: {
      kind: 'ClusterRoleBinding',
      apiVersion: 'rbac.authorization.k8s.io/v1',
      metadata: { name: `${name}-binding` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ kind: 'ServiceAccount', name, namespace: ns }],
    },
  });

const actsAs = (sec: number, ns: string, name: string) =>
  at(sec, `system:serviceaccount:${ns}:${name}`, {
    verb: 'list',
    objectRef: { resource: 'secrets', apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 200 },
  });

const podCreated = (sec: number, user: string, name: string) =>
  at(sec, user, {
    verb: 'create',
    objectRef: { resource: 'pods', namespace: 'shop', name, apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 201 },
  });

const podExec = (sec: number, user: string, name: string) =>
  at(sec, user, {
    verb: 'create',
    stage: 'ResponseStarted',
    requestURI: `/api/v1/namespaces/shop/pods/${name}/exec?command=sh`,
    objectRef: { resource: 'pods', subresource: 'exec', namespace: 'shop', name, apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 101 },
  });

const saFrom = (sec: number, ip: string, name = 'app') =>
  at(sec, `system:serviceaccount:shop:${name}`, {
    verb: 'get',
    sourceIPs: [ip],
    objectRef: { resource: 'configmaps', namespace: 'shop', name: 'cfg', apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 200 },
  });

interface Cases {
  readonly positive: readonly (readonly Event[])[];
  readonly negative: readonly (readonly Event[])[];
}

const CASES: Readonly<Record<string, Cases>> = {
  'Burst of Forbidden Requests': {
    positive: [range(20).map((i) => denied(i * 2, 'mallory'))],
    negative: [
      range(19).map((i) => denied(i * 2, 'mallory')),
      // Twenty, but spread over more than a minute.
      range(20).map((i) => denied(i * 4, 'mallory')),
      // Twenty in a minute, shared by two identities.
      range(20).map((i) => denied(i * 2, i % 2 === 0 ? 'mallory' : 'trent')),
    ],
  },
  'Secrets Read Across Namespaces': {
    positive: [['a', 'b', 'c', 'd', 'e'].map((ns, i) => secretGet(i * 60, 'mallory', ns))],
    negative: [
      ['a', 'b', 'c', 'd', 'a', 'b'].map((ns, i) => secretGet(i * 60, 'mallory', ns)),
      ['a', 'b', 'c', 'd', 'e'].map((ns, i) => secretGet(i * 200, 'mallory', ns)),
      ['a', 'b', 'c', 'd', 'e'].map((ns, i) =>
        secretGet(i, 'system:serviceaccount:kube-system:replicaset-controller', ns),
      ),
    ],
  },
  'Many Secrets Read': {
    positive: [range(30).map((i) => secretGet(i * 10, 'mallory', 'shop', `s${i}`))],
    negative: [
      range(40).map((i) => secretGet(i * 10, 'mallory', 'shop', `s${i % 29}`)),
      range(30).map((i) => secretGet(i * 30, 'mallory', 'shop', `s${i}`)),
    ],
  },
  'Discovery by Denied Requests': {
    positive: [
      ['get', 'list', 'create', 'delete'].flatMap((verb, i) => [
        denied(i * 20, 'mallory', verb, 'secrets'),
        denied(i * 20 + 5, 'mallory', verb, 'pods'),
      ]),
    ],
    negative: [
      // Eight refusals, but only four different requests.
      ['get', 'list', 'create', 'delete'].flatMap((verb, i) => [
        denied(i * 20, 'mallory', verb, 'secrets'),
        denied(i * 20 + 5, 'mallory', verb, 'secrets'),
      ]),
      ['get', 'list', 'create', 'delete'].flatMap((verb, i) => [
        denied(i * 100, 'mallory', verb, 'secrets'),
        denied(i * 100 + 5, 'mallory', verb, 'pods'),
      ]),
    ],
  },
  'New Service Account Bound and Used': {
    positive: [
      [
        saCreated(0, 'shop', 'helper'),
        bound(60, 'shop', 'helper', 'cluster-admin'),
        actsAs(300, 'shop', 'helper'),
      ],
    ],
    negative: [
      // Bound to a harmless role.
      [
        saCreated(0, 'shop', 'helper'),
        bound(60, 'shop', 'helper', 'view'),
        actsAs(300, 'shop', 'helper'),
      ],
      // Another account is bound.
      [
        saCreated(0, 'shop', 'helper'),
        bound(60, 'shop', 'other', 'admin'),
        actsAs(300, 'shop', 'helper'),
      ],
      // Used before it was bound.
      [
        saCreated(0, 'shop', 'helper'),
        actsAs(30, 'shop', 'helper'),
        bound(60, 'shop', 'helper', 'admin'),
      ],
      // Used after the window.
      [
        saCreated(0, 'shop', 'helper'),
        bound(60, 'shop', 'helper', 'admin'),
        actsAs(1000, 'shop', 'helper'),
      ],
    ],
  },
  'Pod Created Then Exec by Its Creator': {
    positive: [
      [podCreated(0, 'alice@example.com', 'debug'), podExec(120, 'alice@example.com', 'debug')],
    ],
    negative: [
      [podCreated(0, 'alice@example.com', 'debug'), podExec(120, 'bob@example.com', 'debug')],
      [podCreated(0, 'alice@example.com', 'debug'), podExec(120, 'alice@example.com', 'web')],
      [podCreated(0, 'alice@example.com', 'debug'), podExec(700, 'alice@example.com', 'debug')],
      [
        podCreated(0, 'system:serviceaccount:kube-system:job-controller', 'debug'),
        podExec(60, 'system:serviceaccount:kube-system:job-controller', 'debug'),
      ],
    ],
  },
  'Service Account Token From Several Addresses': {
    positive: [
      [
        saFrom(0, '10.1.0.5'),
        saFrom(60, '10.1.0.5'),
        saFrom(120, '203.0.113.9'),
        saFrom(180, '198.51.100.4'),
      ],
    ],
    negative: [
      [saFrom(0, '10.1.0.5'), saFrom(60, '203.0.113.9'), saFrom(120, '10.1.0.5')],
      [saFrom(0, '10.1.0.5'), saFrom(400, '203.0.113.9'), saFrom(800, '198.51.100.4')],
      [
        saFrom(0, '10.1.0.5', 'a'),
        saFrom(60, '203.0.113.9', 'b'),
        saFrom(120, '198.51.100.4', 'c'),
      ],
    ],
  },
};

describe('default correlation rules', () => {
  test('every correlated default rule has cases here, and every case names one', () => {
    const correlated = loaded.rules.filter((r) => r.correlation !== undefined).map((r) => r.name);
    assert.deepEqual(correlated.sort(), Object.keys(CASES).sort());
  });
  for (const [rule, c] of Object.entries(CASES)) {
    describe(rule, () => {
      c.positive.forEach((events, i) => {
        test(`positive #${i + 1} fires it once`, () => {
          assert.equal(fired(events).filter((r) => r === rule).length, 1);
        });
      });
      c.negative.forEach((events, i) => {
        test(`near miss #${i + 1} does not fire it`, () => {
          assert.deepEqual(
            fired(events).filter((r) => r === rule),
            [],
          );
        });
      });
    });
  }
});
