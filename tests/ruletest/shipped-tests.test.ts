import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  computeCoverage,
  createRulesLoader,
  formatTestRun,
  mutationScore,
  readTestsFile,
  runMutation,
  runTests,
  type TestFile,
} from '../../src/ruletest/index.ts';
import { REPO_ROOT, SHARED_SKIP, sharedFixture } from '../helpers/shared.ts';

/**
 * The rule tests that ship: rules/kaudit-rules.tests.yaml for the default rules, and our
 * tests of ten of Falco's rules run against the copy of Falco's rules in ../shared.
 */
const DEFAULT_TESTS = join(REPO_ROOT, 'rules', 'kaudit-rules.tests.yaml');
const FALCO_TESTS = join(REPO_ROOT, 'tests', 'fixtures', 'ruletest', 'falco-k8s-audit.tests.yaml');

function read(path: string, rulesFiles?: string[]): TestFile {
  const file = readTestsFile(path, readFileSync(path, 'utf8'), rulesFiles ? { rulesFiles } : {});
  assert.deepEqual(file.errors, []);
  return file;
}

describe('the default rules and their tests', () => {
  const file = read(DEFAULT_TESTS);
  const loader = createRulesLoader();

  test('every test passes', async () => {
    const results = await runTests([file], loader);
    const failed = results[0]?.cases.filter((c) => c.status !== 'pass') ?? [];
    assert.deepEqual(
      failed.map((c) => c.test.name),
      [],
      formatTestRun(results),
    );
    assert.ok((results[0]?.cases.length ?? 0) >= 200);
  });

  test('every rule is fired by a test and proved silent on a near miss by another', async () => {
    const [cov] = await computeCoverage(await runTests([file], loader), loader);
    assert.ok(cov !== undefined && cov.rules.length >= 40);
    assert.deepEqual(
      cov.rules.filter((r) => r.firedBy.length === 0).map((r) => r.rule),
      [],
    );
    assert.deepEqual(
      cov.rules.filter((r) => r.silentIn.length === 0).map((r) => r.rule),
      [],
    );
  });

  test('the tests kill at least 90% of the mutants of the default rules', async () => {
    const [report] = await runMutation([file], loader);
    assert.ok(report !== undefined);
    assert.deepEqual(report.skippedTests, []);
    assert.ok(report.mutants.length > 300, `${report.mutants.length} mutants`);
    const score = mutationScore(report);
    assert.ok(score >= 90, `mutation score ${score.toFixed(1)}%`);
  });
});

describe("ten of Falco's rules, tested in a file of their own", () => {
  test("every test passes against the copy of Falco's k8s_audit_rules.yaml", {
    skip: SHARED_SKIP,
  }, async () => {
    const rules = sharedFixture('falco', 'rules', 'k8s_audit_rules.yaml');
    const file = read(FALCO_TESTS, [rules]);
    const results = await runTests([file]);
    const cases = results[0]?.cases ?? [];
    assert.deepEqual(
      cases.filter((c) => c.status !== 'pass').map((c) => c.test.name),
      [],
      formatTestRun(results),
    );
    const tested = new Set(cases.flatMap((c) => c.test.rules.map((r) => r.name)));
    assert.ok(tested.size >= 10, [...tested].join(', '));
    // Each tested rule both fires and stays silent somewhere.
    const [cov] = await computeCoverage(results);
    for (const name of tested) {
      const r = cov?.rules.find((x) => x.rule === name);
      assert.ok(r && r.firedBy.length > 0 && r.silentIn.length > 0, name);
    }
  });
});
