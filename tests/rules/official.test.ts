import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { loadRules } from '../../src/rules/index.ts';
import type { RulesSource } from '../../src/rules/types.ts';
import { SHARED_SKIP, sharedFixture } from '../helpers/shared.ts';

function source(name: string): RulesSource {
  return { name, content: readFileSync(sharedFixture('falco', 'rules', name), 'utf8') };
}

test('loadRules() loads the official k8s_audit_rules.yaml with no errors', {
  skip: SHARED_SKIP,
}, () => {
  const r = loadRules([source('k8s_audit_rules.yaml')]);
  assert.deepEqual(r.errors, []);
  assert.ok(r.rules.length > 0);
  assert.ok(r.rules.every((rule) => rule.source === 'k8s_audit'));
  assert.equal(r.requiredEngineVersion, '0.15.0');
  // Names are unique and keep file order.
  assert.equal(new Set(r.rules.map((x) => x.name)).size, r.rules.length);
});

test('loadRules() loads k8s_audit_rules_v0.6.0.yaml with no errors', { skip: SHARED_SKIP }, () => {
  const r = loadRules([source('k8s_audit_rules_v0.6.0.yaml')]);
  assert.deepEqual(r.errors, []);
  assert.ok(r.rules.length > 0);
});

test('loadRules() skips the syscall rules of falco_rules_1.0.1.yaml loaded before v0.6.0', {
  skip: SHARED_SKIP,
}, () => {
  const alone = loadRules([source('k8s_audit_rules_v0.6.0.yaml')]);
  const r = loadRules([source('falco_rules_1.0.1.yaml'), source('k8s_audit_rules_v0.6.0.yaml')]);
  assert.deepEqual(r.errors, []);
  assert.ok(r.skippedRules.length > 0);
  assert.deepEqual(
    r.rules.map((x) => x.name),
    alone.rules.map((x) => x.name),
  );
  assert.ok(r.warnings.some((w) => w.code === 'LOAD_UNKNOWN_SOURCE'));
  assert.ok(
    !r.warnings.some(
      (w) => w.code === 'LOAD_UNKNOWN_SOURCE' && w.locations[0]?.itemName === r.rules[0]?.name,
    ),
  );
});
