import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { loadRules } from '../../src/rules/index.ts';
import type { LoadResult } from '../../src/rules/types.ts';
import { SHARED_SKIP, sharedFixture } from '../helpers/shared.ts';
import { checkCase } from './helpers/case-assertions.ts';
import { positionFailures } from './helpers/case-positions.ts';
import { CASE_SKIPS, skipReasonFor } from './helpers/case-skips.ts';
import { parseValidationCases, type ValidationCase } from './helpers/cases.ts';
import { checkCppCase } from './helpers/cpp-cases.ts';
import { createSyscallRegistry } from './helpers/syscall-registry.ts';

const CASES_PATH = SHARED_SKIP ? '' : sharedFixture('falco', 'rules_validation_cases.md');
const cases: ValidationCase[] =
  CASES_PATH !== '' && existsSync(CASES_PATH) ? parseValidationCases(CASES_PATH) : [];
const extraSources = new Map([['syscall', createSyscallRegistry()]]);
const tally = { covered: 0, skipped: 0, partial: 0 };

describe('rules_validation_cases.md', { skip: SHARED_SKIP }, () => {
  test('parseValidationCases() finds all 370 upstream cases', () => {
    assert.equal(cases.length, 370);
  });

  test('every skip-table entry names a real case', () => {
    const titles = new Set(cases.map((c) => c.title));
    for (const name of Object.keys(CASE_SKIPS)) assert.ok(titles.has(name), name);
  });

  for (const c of cases) {
    const reason = skipReasonFor(c);
    test(`loadRules() matches upstream case ${c.title}`, { skip: reason ?? false }, () => {
      const cpp = checkCppCase(c);
      const result = cpp === undefined ? loadRules(c.files, { extraSources }) : undefined;
      const check = cpp ?? checkCase(c, result as LoadResult);
      assert.deepEqual(check.failures, []);
      if (result !== undefined) assert.deepEqual(positionFailures(c.files, result), []);
      assert.ok(
        check.mapped > 0,
        `no assertion of ${c.title} could be mapped: ${check.unmapped.join('; ')}`,
      );
      tally.covered++;
      if (check.unmapped.length > 0) tally.partial++;
    });
    if (reason !== undefined) tally.skipped++;
  }

  after(() => {
    console.log(
      `rules_validation_cases: ${tally.covered} covered (${tally.partial} with some assertions unmapped), ${tally.skipped} skipped with reason, of ${cases.length}`,
    );
  });
});
