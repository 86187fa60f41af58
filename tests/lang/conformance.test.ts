import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkExpr } from '../../src/lang/check.ts';
import { compileCondition } from '../../src/lang/compile.ts';
import { ConditionError } from '../../src/lang/errors.ts';
import { interpretCondition } from '../../src/lang/interpret.ts';
import { parseCondition } from '../../src/lang/parser.ts';
import { REPO_ROOT } from '../helpers/shared.ts';
import { TEST_ENV, testRecord } from './test-registry.ts';

/**
 * Language conformance cases (tests/fixtures/conditions/<topic>.json), each run through
 * both the compiler and the interpreter.
 */
interface MatchCase {
  readonly name: string;
  readonly condition: string;
  readonly event: Record<string, unknown>;
  readonly result: boolean;
}
interface ErrorCase {
  readonly name: string;
  readonly condition: string;
  readonly error: { readonly reason: string; readonly start: number };
}
type Case = MatchCase | ErrorCase;

const DIR = join(REPO_ROOT, 'tests', 'fixtures', 'conditions');

// The first problem in the pipeline a rule goes through: parse, check, compile.
function firstError(condition: string): ConditionError | undefined {
  try {
    const expr = parseCondition(condition);
    const found = checkExpr(expr, TEST_ENV)[0];
    if (found !== undefined) return found;
    compileCondition(expr, TEST_ENV);
    return undefined;
  } catch (e) {
    if (e instanceof ConditionError) return e;
    throw e;
  }
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
let total = 0;
for (const file of files) {
  const cases = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Case[];
  total += cases.length;
  const topic = file.replace(/\.json$/, '');
  for (const c of cases) {
    if ('error' in c) {
      test(`conformance ${topic}: ${c.name} → ${c.error.reason}@${c.error.start}`, () => {
        const e = firstError(c.condition);
        assert.ok(e !== undefined, 'expected an error');
        assert.deepEqual({ reason: e.reason, start: e.start }, c.error);
      });
      continue;
    }
    test(`conformance ${topic}: ${c.name} → ${c.result}`, () => {
      const expr = parseCondition(c.condition);
      const rec = testRecord(c.event);
      assert.equal(compileCondition(expr, TEST_ENV).fn(rec), c.result, 'compiled');
      assert.equal(interpretCondition(expr, rec, TEST_ENV), c.result, 'interpreted');
    });
  }
}

test('conformance suite holds at least 150 cases', () => {
  assert.ok(total >= 150, `only ${total} cases`);
});
