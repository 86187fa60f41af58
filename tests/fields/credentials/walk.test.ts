import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { scanRequestObject } from '../../../src/fields/credentials/index.ts';
import { b64, PEM_KEY, rnd } from './samples.ts';

const TOKEN = `ghp_${rnd(36)}`;
const entries = (obj: unknown): readonly string[] => scanRequestObject(obj).entries;

const container = (name: string, more: Record<string, unknown>) => ({
  name,
  image: 'app:1',
  ...more,
});
const withEnv = (name: string) => container(name, { env: [{ name: 'GH', value: TOKEN }] });

describe('scanRequestObject() places', () => {
  test('configmap data, binaryData (decoded), base64 values and JSON in values', () => {
    assert.deepEqual(
      entries({
        kind: 'ConfigMap',
        data: {
          a: TOKEN,
          b: b64(`token: ${TOKEN}`),
          'c.json': JSON.stringify({ x: { y: TOKEN } }),
        },
        binaryData: { d: b64(TOKEN) },
      }),
      [
        'github-token@data.a',
        'github-token@data.b(base64)',
        'github-token@data.c.json:x.y',
        'github-token@binaryData.d',
      ],
    );
  });

  test('containers of pods and of every workload template, by name', () => {
    const spec = { containers: [withEnv('web')], initContainers: [withEnv('init')] };
    assert.deepEqual(entries({ kind: 'Pod', spec }), [
      'github-token@containers[web].env[GH]',
      'github-token@initContainers[init].env[GH]',
    ]);
    for (const obj of [
      { kind: 'Deployment', spec: { template: { spec } } },
      { kind: 'PodTemplate', template: { spec } },
      { kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec } } } } },
    ]) {
      assert.deepEqual(entries(obj), [
        'github-token@containers[web].env[GH]',
        'github-token@initContainers[init].env[GH]',
      ]);
    }
    assert.deepEqual(entries({ spec: { ephemeralContainers: [withEnv('debug')] } }), [
      'github-token@ephemeralContainers[debug].env[GH]',
    ]);
  });

  test('args and command by index; a flag names the argument after it', () => {
    const c = container('app', {
      command: ['sh', '-c', `curl -H "Authorization: token ${TOKEN}" x`],
      args: ['--verbose', '--password', 'Tr0ub4dor&3', '--name', 'Tr0ub4dor&3'],
    });
    assert.deepEqual(entries({ kind: 'Pod', spec: { containers: [c] } }), [
      'github-token@containers[app].command[2]',
      'password@containers[app].args[2]',
    ]);
  });

  test('env values only: valueFrom refers to a Secret', () => {
    const env = [
      { name: 'A', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
      { name: 'DB_PASSWORD', value: 'Tr0ub4dor&3' },
    ];
    assert.deepEqual(entries({ spec: { containers: [container('app', { env })] } }), [
      'password@containers[app].env[DB_PASSWORD]',
    ]);
  });

  test('annotations, and last-applied-configuration parsed as its own object', () => {
    const applied = {
      kind: 'Deployment',
      metadata: { annotations: { note: TOKEN } },
      spec: { template: { spec: { containers: [withEnv('web')] } } },
    };
    const obj = {
      metadata: {
        name: TOKEN,
        labels: { a: TOKEN },
        annotations: {
          'example.com/token': TOKEN,
          'kubectl.kubernetes.io/last-applied-configuration': `${JSON.stringify(applied)}\n`,
        },
      },
    };
    assert.deepEqual(entries(obj), [
      'github-token@annotations[example.com/token]',
      'github-token@last-applied:annotations[note]',
      'github-token@last-applied:containers[web].env[GH]',
    ]);
    assert.deepEqual(entries({ spec: { template: { metadata: { annotations: { n: TOKEN } } } } }), [
      'github-token@spec.template.annotations[n]',
    ]);
  });

  test('managedFields and the top-level status are not read', () => {
    const obj = {
      metadata: { managedFields: [{ manager: TOKEN }] },
      status: { message: TOKEN },
      spec: { status: TOKEN },
    };
    assert.deepEqual(entries(obj), ['github-token@spec.status']);
  });

  test('a JSON patch: each operation value at its path', () => {
    assert.deepEqual(
      entries([
        { op: 'add', path: '/spec/token', value: TOKEN },
        { op: 'remove', path: '/spec/x' },
        {
          op: 'replace',
          path: '/spec/env/0',
          value: { name: 'DB_PASSWORD', value: 'Tr0ub4dor&3' },
        },
      ]),
      ['github-token@patch:/spec/token', 'password@patch:/spec/env/0[DB_PASSWORD]'],
    );
  });

  test('custom resources: any string, named values and a service-account key object', () => {
    const sa = { type: 'service_account', private_key_id: 'k', private_key: PEM_KEY };
    assert.deepEqual(
      entries({
        apiVersion: 'example.io/v1',
        spec: {
          deep: [{ list: [{ of: { things: TOKEN } }] }],
          parameters: [{ name: 'db.password', value: 'Tr0ub4dor&3' }],
          key: sa,
          keyFile: JSON.stringify(sa),
        },
      }),
      [
        'github-token@spec.deep[0].list[0].of.things',
        'password@spec.parameters[db.password]',
        'gcp-service-account-key@spec.key',
        'gcp-service-account-key@spec.keyFile',
      ],
    );
  });

  test('a finding is listed once per kind and place', () => {
    assert.deepEqual(entries({ data: { a: `${TOKEN} ${TOKEN}` } }), ['github-token@data.a']);
  });

  test('keys from the request are made safe in places', () => {
    assert.deepEqual(entries({ data: { 'a b@c,(d)': TOKEN } }), ['github-token@data.a?b?c??d?']);
  });
});
