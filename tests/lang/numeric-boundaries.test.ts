import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileCondition } from '../../src/lang/compile.ts';
import { interpretCondition } from '../../src/lang/interpret.ts';
import { testNumeric } from '../../src/lang/numeric.ts';
import { parseCondition } from '../../src/lang/parser.ts';
import { TEST_ENV, testRecord } from './test-registry.ts';

// Protects the numeric comparisons (src/lang/numeric.ts): every operator on both sides of
// its boundary and on it. A `<=` read as `<` (or `>` as `>=`) only shows on equal values,
// which the conformance fixtures never compare.
const OPS = ['=', '==', '!=', '<', '<=', '>', '>='] as const;

/** What each operator means, written out on integers (the reference). */
function expected(op: (typeof OPS)[number], a: bigint, b: bigint): boolean {
  switch (op) {
    case '=':
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

test('testNumeric() on numbers: below, at and above the boundary', () => {
  for (const op of OPS)
    for (const b of [4, 5, 6])
      assert.equal(testNumeric(op, 5, b), expected(op, 5n, BigInt(b)), `5 ${op} ${b}`);
});

test('testNumeric() on uint64 values beyond 2^53, and bigint against number', () => {
  const big = 9007199254740993n; // 2^53 + 1: a double would round it to 2^53
  for (const op of OPS) {
    for (const b of [big - 1n, big, big + 1n])
      assert.equal(testNumeric(op, big, b), expected(op, big, b), `${big} ${op} ${b}`);
    assert.equal(testNumeric(op, big, 2 ** 53), expected(op, big, 2n ** 53n), `${op} 2^53`);
    assert.equal(testNumeric(op, 7, 7n), expected(op, 7n, 7n), `7 ${op} 7n`);
  }
});

test('compiled and interpreted conditions agree with the reference at the boundary', () => {
  const rec = testRecord({ auditID: 'a', verb: 'get', requestURI: '/abcd' }, 5);
  for (const op of OPS) {
    for (const k of [4, 5, 6]) {
      for (const lhs of ['evt.num', 'len(ka.uri)']) {
        const condition = `${lhs} ${op} ${k}`;
        const expr = parseCondition(condition);
        const want = expected(op, 5n, BigInt(k));
        assert.equal(compileCondition(expr, TEST_ENV).fn(rec), want, `compiled ${condition}`);
        assert.equal(interpretCondition(expr, rec, TEST_ENV), want, `interpreted ${condition}`);
      }
    }
  }
});
