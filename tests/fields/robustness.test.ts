import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { AuditRecord } from '../../src/events/record.ts';
import type { FieldGetter, FieldValue } from '../../src/fields/field.ts';
import { createFieldRegistry } from '../../src/fields/index.ts';

const registry = createFieldRegistry();

// One argument per field kind: keys that exist in real events, and an index.
const KEY_ARGS: Readonly<Record<string, string>> = {
  'ka.uri.param': 'command',
  'ka.req.volume.hostpath': '/proc*',
  'ka.req.binding.subject.has_name': 'x',
  'json.value': '/requestObject/spec',
  'jevt.value': '/request/object/spec/containers/0',
};

const GETTERS: readonly [string, FieldGetter][] = registry.list().flatMap((d) => {
  const out: [string, FieldGetter][] = [];
  if (d.arg.kind === 'key') out.push([d.name, d.bind(KEY_ARGS[d.name] ?? 'x')]);
  else out.push([d.name, d.bind(undefined)]);
  if (d.arg.kind === 'index') out.push([`${d.name}[1]`, d.bind('1')]);
  return out;
});

function assertContract(name: string, v: FieldValue): void {
  if (v === undefined || typeof v === 'string') return;
  assert.ok(Array.isArray(v), name);
  assert.ok(v.length > 0, `${name}: empty list must be absent`);
  for (const s of v) assert.equal(typeof s, 'string', name);
}

// Arbitrary JSON hung where the extractors look, so that every shape check is reached.
const json = fc.jsonValue({ maxDepth: 3 });
const container = fc.oneof(
  json,
  fc.record(
    {
      name: json,
      image: json,
      command: json,
      args: json,
      ports: fc.oneof(json, fc.array(fc.record({ hostPort: json, containerPort: json }))),
      securityContext: fc.oneof(
        json,
        fc.dictionary(
          fc.constantFrom('privileged', 'runAsUser', 'runAsGroup', 'capabilities'),
          json,
        ),
      ),
    },
    { requiredKeys: [] },
  ),
);
const object = fc.record(
  {
    spec: fc.oneof(
      json,
      fc.record(
        {
          containers: fc.oneof(json, fc.array(container)),
          initContainers: fc.array(container),
          volumes: fc.oneof(
            json,
            fc.array(fc.oneof(json, fc.record({ hostPath: json, flexVolume: json }))),
          ),
          securityContext: json,
          ports: json,
        },
        { requiredKeys: [] },
      ),
    ),
    rules: fc.oneof(json, fc.array(fc.oneof(json, fc.record({ verbs: json, resources: json })))),
    subjects: fc.oneof(
      json,
      fc.array(
        fc.oneof(
          json,
          fc.record({
            kind: fc.constantFrom('User', 'ServiceAccount'),
            name: json,
            namespace: json,
          }),
        ),
      ),
    ),
    data: json,
    command: json,
  },
  { requiredKeys: [] },
);
const event = fc.record(
  {
    auditID: json,
    requestURI: fc.oneof(
      json,
      fc.string().map((s) => `/api?${s}`),
    ),
    user: json,
    objectRef: json,
    sourceIPs: json,
    annotations: json,
    requestObject: fc.oneof(json, object),
    responseObject: json,
    request: fc.oneof(
      json,
      fc.record({ uid: json, object: fc.oneof(json, object), userInfo: json }),
    ),
  },
  { requiredKeys: [] },
);

test('every getter returns a string, a non-empty string list or undefined on any shape', () => {
  fc.assert(
    fc.property(
      event,
      fc.constantFrom('k8s_audit', 'k8s_admission'),
      fc.string(),
      (obj, source, timeNs) => {
        const rec: AuditRecord = { obj, source, timeNs, num: 1 };
        for (const [name, get] of GETTERS) assertContract(name, get(rec));
      },
    ),
    { numRuns: 300 },
  );
});
