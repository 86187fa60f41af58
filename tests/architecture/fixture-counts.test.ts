// A checkout without ../shared cannot generate the tests that iterate over its fixtures,
// and node:test's summary never learns they exist: scripts/run-tests.mjs adds one line
// saying how many were not generated, from tests/fixture-test-counts.json (which a run
// with the fixtures keeps up to date).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers/shared.ts';

const recorded = JSON.parse(
  readFileSync(join(REPO_ROOT, 'tests', 'fixture-test-counts.json'), 'utf8'),
) as Record<string, number>;

test('without ../shared the summary says how many fixture tests were not generated', () => {
  const file = 'tests/policy/vectors.test.ts';
  const expected = recorded[file];
  assert.ok(expected !== undefined && expected > 0, `${file} is recorded with its cases`);
  // NODE_TEST_CONTEXT would make the inner runner report to this one instead of its own.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const r = spawnSync(process.execPath, ['scripts/run-tests.mjs', file], {
    cwd: REPO_ROOT,
    env: { ...env, KAUDIT_SHARED: join(REPO_ROOT, 'no-such-shared-dir') },
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`ℹ fixture tests not generated ${expected} \\(`));
});
