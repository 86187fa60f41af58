import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { FieldArgError } from '../../src/fields/field.ts';
import { createFieldRegistry, defaultFieldRegistry } from '../../src/fields/index.ts';
import { SHARED_SKIP, sharedFixture } from '../helpers/shared.ts';

const registry = createFieldRegistry();

// kaudit's own fields, not in the plugins' tables (docs/credentials.md).
const OWN = /^kar?\.req\.credentials(?:\.|$)/;
const upstream = (name: string): boolean => !OWN.test(name);

interface TsvField {
  readonly name: string;
  readonly arg: string;
  readonly cardinality: string;
}

function readTsv(file: string): TsvField[] {
  const [head, ...lines] = readFileSync(sharedFixture('falco', file), 'utf8').trim().split('\n');
  const cols = (head ?? '').split('\t');
  const at = (row: string[], col: string): string => row[cols.indexOf(col)] ?? '';
  return lines.map((l) => {
    const row = l.split('\t');
    return { name: at(row, 'name'), arg: at(row, 'arg'), cardinality: at(row, 'cardinality') };
  });
}

function assertMatches(rows: readonly TsvField[], source: 'k8s_audit' | 'k8s_admission'): void {
  for (const row of rows) {
    const def = registry.get(row.name);
    assert.ok(def, `missing ${row.name}`);
    assert.ok(def.sources.includes(source), `${row.name} sources`);
    assert.equal(def.isList, row.cardinality === 'list', `${row.name} isList`);
    const [kind = 'none', req] = row.arg.split(',');
    assert.equal(def.arg.kind, kind, `${row.name} arg kind`);
    assert.equal(def.arg.required, req === 'required', `${row.name} arg required`);
  }
}

test('registry has every k8saudit field of the upstream table, same list/arg', {
  skip: SHARED_SKIP,
}, () => {
  const rows = readTsv('k8saudit_fields.tsv');
  assert.equal(rows.length, 100);
  assertMatches(rows, 'k8s_audit');
  const ka = registry.list('k8s_audit').filter((d) => d.name.startsWith('ka.') && upstream(d.name));
  assert.deepEqual(ka.map((d) => d.name).sort(), rows.map((r) => r.name).sort());
});

test('registry has every active kar field of the k8sadmission table, same list/arg', {
  skip: SHARED_SKIP,
}, () => {
  const rows = readTsv('k8sadmission_kar_fields.tsv');
  assert.equal(rows.length, 44);
  assertMatches(rows, 'k8s_admission');
  const kar = registry
    .list('k8s_admission')
    .filter((d) => d.name.startsWith('kar.') && upstream(d.name));
  assert.deepEqual(kar.map((d) => d.name).sort(), rows.map((r) => r.name).sort());
});

test('list() filters by source: ka.* only for k8s_audit, kar.* only for k8s_admission', () => {
  const audit = new Set(registry.list('k8s_audit').map((d) => d.name));
  const admission = new Set(registry.list('k8s_admission').map((d) => d.name));
  assert.ok(audit.has('ka.verb') && !admission.has('ka.verb'));
  assert.ok(admission.has('kar.verb') && !audit.has('kar.verb'));
  for (const shared of ['jevt.value', 'json.obj', 'evt.time', 'evt.hostname']) {
    assert.ok(audit.has(shared) && admission.has(shared), shared);
  }
  assert.equal(registry.list().length, new Set(registry.list().map((d) => d.name)).size);
});

test('FieldDef.needs: request for requestObject, response for responseObject', () => {
  const needs = (n: string) => registry.get(n)?.needs;
  assert.equal(needs('ka.user.name'), 'metadata');
  assert.equal(needs('ka.req.pod.containers.image'), 'request');
  assert.equal(needs('ka.req.binding.role'), 'request');
  assert.equal(needs('ka.req.configmap.name'), 'metadata');
  assert.equal(needs('ka.resp.name'), 'response');
  assert.equal(needs('ka.target.pod.name'), 'response');
  assert.equal(needs('kar.req.pod.host_network'), 'request');
  assert.equal(needs('kar.user.name'), 'metadata');
  assert.equal(needs('jevt.value'), 'metadata');
  assert.equal(needs('jevt.obj'), 'response');
});

test('FieldDef types: evt.num uint64, evt.rawtime abstime, ka.* string', () => {
  assert.equal(registry.get('evt.num')?.type, 'uint64');
  assert.equal(registry.get('evt.rawtime')?.type, 'abstime');
  assert.equal(registry.get('evt.is_async')?.type, 'bool');
  assert.ok(
    registry
      .list('k8s_audit')
      .filter((d) => d.name.startsWith('ka.') && upstream(d.name))
      .every((d) => d.type === 'string'),
  );
});

test('the credential fields are kaudit extensions: a count, a bool, lists', () => {
  assert.equal(registry.get('ka.req.credentials.count')?.type, 'uint64');
  assert.equal(registry.get('ka.req.credentials.truncated')?.type, 'bool');
  assert.equal(registry.get('ka.req.credentials')?.isList, true);
  assert.equal(registry.get('kar.req.credentials.preview')?.isList, true);
  assert.equal(registry.get('ka.req.credentials.kinds')?.needs, 'request');
});

test('FieldDef.deprecated marks the old ka.req.container.* fields', () => {
  assert.equal(registry.get('ka.req.container.image')?.deprecated, true);
  assert.equal(registry.get('ka.req.volume.hostpath')?.deprecated, true);
  assert.equal(registry.get('ka.req.pod.containers.image')?.deprecated, undefined);
});

function bindError(name: string, arg: string | undefined): FieldArgError {
  const def = registry.get(name);
  assert.ok(def, name);
  try {
    def.bind(arg);
  } catch (e) {
    assert.ok(e instanceof FieldArgError);
    return e;
  }
  assert.fail(`${name}[${arg}] bound`);
}

test('bind() rejects a missing required key argument', () => {
  assert.equal(bindError('ka.uri.param', undefined).field, 'ka.uri.param');
  assert.equal(bindError('jevt.value', undefined).field, 'jevt.value');
  assert.equal(bindError('ka.req.volume.hostpath', '').field, 'ka.req.volume.hostpath');
});

test('bind() rejects an argument on a field that takes none', () => {
  assert.equal(bindError('ka.user.name', 'x').field, 'ka.user.name');
  assert.equal(bindError('evt.time', '0').field, 'evt.time');
});

test('bind() rejects an index that is not a non-negative integer', () => {
  for (const bad of ['x', '-1', '1.5', ' 1', '0x1']) {
    assert.equal(
      bindError('ka.req.pod.containers.image', bad).field,
      'ka.req.pod.containers.image',
    );
  }
});

test('bind() accepts an optional index left out, and huge indices as out of range', () => {
  const def = registry.get('ka.sourceips');
  assert.ok(def);
  const rec = {
    obj: { auditID: 'a', sourceIPs: ['1.2.3.4'] },
    source: 'k8s_audit',
    timeNs: '0',
    num: 1,
  } as const;
  assert.deepEqual(def.bind(undefined)(rec), ['1.2.3.4']);
  assert.equal(def.bind('99999999999999999999')(rec), undefined);
});

test('suggest() proposes the closest field name', () => {
  assert.equal(registry.suggest('ka.user.nmae'), 'ka.user.name');
  assert.equal(registry.suggest('ka.usr.name'), 'ka.user.name');
  assert.equal(registry.suggest('jevt.valeu'), 'jevt.value');
  assert.equal(registry.suggest('kar.verbs'), 'kar.verb');
  assert.equal(registry.suggest('ka.req.pod.containers.imag'), 'ka.req.pod.containers.image');
  assert.equal(registry.suggest('ka.req.pod.initContainers'), 'ka.req.pod.initContainers.name');
});

test('suggest() gives nothing for a known name or a far one', () => {
  assert.equal(registry.suggest('ka.user.name'), undefined);
  assert.equal(registry.suggest('proc.name'), undefined);
  assert.equal(registry.suggest('zz'), undefined);
});

test('defaultFieldRegistry holds the same fields as a new registry', () => {
  assert.deepEqual(
    defaultFieldRegistry.list().map((d) => d.name),
    registry.list().map((d) => d.name),
  );
});
