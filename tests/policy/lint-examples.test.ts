import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SHARED_SKIP, sharedFixture } from '../helpers/shared.ts';
import { keys, lintFile } from './lint-helpers.ts';

const example = (name: string): string => sharedFixture('kubernetes', 'lint-examples', name);
const SHADOW_CODES = ['shadowed-rule', 'partly-shadowed-rule', 'duplicate-rule'];

describe('lintPolicy() on the shared lint examples', { skip: SHARED_SKIP }, () => {
  test('lintPolicy() reports shadowed-rule for rules[2] (by rules[1]) and rules[4] (after a catch-all)', () => {
    const f = lintFile(example('shadowed-rule.yaml'));
    const shadow = f.filter((x) => x.code === 'shadowed-rule');
    assert.deepEqual(
      shadow.map((x) => [x.ruleIndex, x.relatedRule]),
      [
        [2, 1],
        [4, 3],
      ],
    );
    assert.ok(!f.some((x) => x.ruleIndex === 0), 'rules[0] (nonResourceURLs) must not be reported');
    assert.deepEqual(
      shadow.map((x) => [x.position.line, x.position.column]),
      [
        [29, 5],
        [38, 5],
      ],
    );
  });

  test('lintPolicy() reports resource-not-in-group for deployments under "" and cronjobs under apps only', () => {
    const f = lintFile(example('deployments-in-core-group.yaml'));
    assert.deepEqual(keys(f, 'resource-not-in-group'), [
      'resource-not-in-group@rules[0].resources[0].resources[1]',
      'resource-not-in-group@rules[1].resources[0].resources[1]',
    ]);
    assert.deepEqual(keys(f, 'unknown-resource'), []);
    assert.ok(f.every((x) => x.severity !== 'error' || x.code === 'resource-not-in-group'));
  });

  test('lintPolicy() reports sensitive-body-logged at rules[0] (explicit) and rules[1] (implicit), not rules[2]', () => {
    const f = lintFile(example('secrets-logged-with-bodies.yaml'));
    const hits = f.filter((x) => x.code === 'sensitive-body-logged');
    assert.deepEqual([...new Set(hits.map((x) => x.ruleIndex))], [0, 1]);
    assert.ok(hits.some((x) => x.path === 'rules[0].resources[0].resources[0]'));
    assert.ok(!f.some((x) => x.ruleIndex === 2));
    const cm = f.filter((x) => x.code === 'configmap-body-logged');
    assert.ok(cm.length > 0 && cm.every((x) => x.severity === 'info'));
  });

  test('lintPolicy() reports request-received-not-omitted once, affecting rules[1] and rules[3] only', () => {
    const f = lintFile(example('missing-omit-request-received.yaml'));
    const hits = f.filter((x) => x.code === 'request-received-not-omitted');
    assert.equal(hits.length, 1);
    assert.deepEqual(hits[0]?.affectedRules, [1, 3]);
    assert.deepEqual(
      keys(f).filter((k) => SHADOW_CODES.some((c) => k.startsWith(c))),
      [],
    );
  });

  test('lintPolicy() finds no shadowing and no error in the GKE reference policy', () => {
    const f = lintFile(sharedFixture('kubernetes', 'reference-policy-gke.yaml'));
    assert.deepEqual(
      f.filter((x) => SHADOW_CODES.includes(x.code)),
      [],
    );
    assert.deepEqual(
      f.filter((x) => x.severity === 'error'),
      [],
    );
  });
});
