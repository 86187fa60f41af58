import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createFieldRegistry } from '../../src/fields/index.ts';
import type { FieldCase } from './cases/case.ts';
import { CREDENTIAL_CASES } from './cases/credential-cases.ts';
import { JSON_EVT_CASES, TEST_HOSTNAME } from './cases/json-evt-cases.ts';
import { KA_HEADER_CASES } from './cases/ka-header-cases.ts';
import { KA_OBJECT_CASES } from './cases/ka-object-cases.ts';
import { KA_POD_CASES } from './cases/ka-pod-cases.ts';
import { KAR_CASES } from './cases/kar-cases.ts';

// The evt time cases are written for UTC; FALCO_HOSTNAME is read when a field is bound.
process.env.TZ = 'UTC';
process.env.FALCO_HOSTNAME = TEST_HOSTNAME;

const registry = createFieldRegistry();
const CASES: readonly FieldCase[] = [
  ...KA_HEADER_CASES,
  ...KA_POD_CASES,
  ...KA_OBJECT_CASES,
  ...KAR_CASES,
  ...CREDENTIAL_CASES,
  ...JSON_EVT_CASES,
];

for (const c of CASES) {
  const ref = c.arg === undefined ? c.field : `${c.field}[${c.arg}]`;
  test(`${ref} on ${c.rec.source} event: ${c.why}`, () => {
    const def = registry.get(c.field);
    assert.ok(def, `unknown field ${c.field}`);
    assert.deepEqual(def.bind(c.arg)(c.rec), c.want);
  });
}

test('field cases give every registered field a present value at least once', () => {
  const withValue = new Set(CASES.filter((c) => c.want !== undefined).map((c) => c.field));
  const missing = registry
    .list()
    .map((d) => d.name)
    .filter((n) => !withValue.has(n) && n !== 'evt.asynctype');
  assert.deepEqual(missing, []);
});
