import assert from 'node:assert/strict';
import { test } from 'node:test';
import { js } from '../../src/codegen/code.ts';
import type { FieldDef, FieldRegistry } from '../../src/fields/field.ts';
import { compileCondition, createCodegenScope } from '../../src/lang/compile.ts';
import { ConditionError } from '../../src/lang/errors.ts';
import { parseCondition } from '../../src/lang/parser.ts';
import { runInWorker } from '../helpers/bounded-worker.ts';
import type { DagAnswers } from './dag-probe.ts';
import { TEST_ENV, TEST_REGISTRY, testRecord } from './test-registry.ts';

// A registry that counts getter calls, to observe the per-event field cache.
function countingEnv() {
  const calls = { n: 0 };
  const base = TEST_REGISTRY.get('ka.verb') as FieldDef;
  const counted: FieldDef = {
    ...base,
    bind: (arg) => {
      const get = base.bind(arg);
      return (r) => {
        calls.n++;
        return get(r);
      };
    },
  };
  const registry: FieldRegistry = {
    ...TEST_REGISTRY,
    get: (name) => (name === 'ka.verb' ? counted : TEST_REGISTRY.get(name)),
  };
  return { env: { registry, source: 'k8s_audit' as const }, calls };
}

test('compileCondition() reads each field once per event', () => {
  const { env, calls } = countingEnv();
  const { fn } = compileCondition(
    parseCondition('ka.verb = a or ka.verb = b or ka.verb contains c or ka.verb startswith cr'),
    env,
  );
  assert.equal(fn(testRecord({ auditID: 'x', verb: 'create' })), true);
  assert.equal(calls.n, 1);
  fn(testRecord({ auditID: 'x', verb: 'zzz' }));
  assert.equal(calls.n, 2, 'the cache does not outlive the event');
});

test('createCodegenScope() shares the field cache across emitted expressions', () => {
  const { env, calls } = countingEnv();
  const scope = createCodegenScope(env);
  const hits: number[] = [];
  const H = scope.helper(hits, 'hits');
  const a = scope.emit(parseCondition('ka.verb = create'));
  const b = scope.emit(parseCondition('ka.verb in (create, update)'));
  const { fn, source } = scope.build<(r: unknown) => void>(
    js`if (${a}) ${H}.push(0); if (${b}) ${H}.push(1);`,
  );
  fn(testRecord({ auditID: 'x', verb: 'create' }));
  assert.deepEqual(hits, [0, 1]);
  assert.equal(calls.n, 1);
  assert.match(source, /^function \(r\) \{/);
});

test('compileCondition() precompiles regexes and lists into parameters', () => {
  const { source } = compileCondition(
    parseCondition('ka.verb regex "c.*" and ka.verb in (a, b, c) and ka.verb glob "x*"'),
    TEST_ENV,
  );
  assert.ok(!source.includes('new RegExp') && !source.includes('new Set'));
  assert.ok(!source.includes('"c.*"'), 'the pattern is not in the source');
});

test('compileCondition() throws for an invalid condition and a leftover macro', () => {
  assert.throws(
    () => compileCondition(parseCondition('ka.nope = 1'), TEST_ENV),
    (e: unknown) => e instanceof ConditionError && e.reason === 'unknown_field',
  );
  assert.throws(
    () => compileCondition(parseCondition('ka.verb = x and m'), TEST_ENV),
    (e: unknown) => e instanceof ConditionError && e.reason === 'unknown_macro' && e.start === 16,
  );
});

test('compileCondition() never throws for odd events', () => {
  const { fn } = compileCondition(
    parseCondition(
      'ka.user.groups in (a) or ka.verb regex "a" or len(ka.verb) > 1 or b64(ka.verb) = x',
    ),
    TEST_ENV,
  );
  // Without an auditID no ka.* field exists; an object verb renders as its JSON text (which
  // holds an "a" and is longer than 1); a groups list of odd members renders them as text,
  // `1` among them, which is no "a" and no base64 of anything equal to x.
  const cases: [Record<string, unknown>, boolean][] = [
    [{}, false],
    [{ auditID: 'x' }, false],
    [{ auditID: 'x', user: 'str', verb: { a: 1 } }, true],
    [{ auditID: 'x', user: { groups: [null, 1, { a: [] }] } }, false],
    [{ auditID: 'x', user: { groups: [null, 'a'] } }, true],
  ];
  for (const [obj, want] of cases) {
    assert.equal(fn(testRecord(obj)), want, JSON.stringify(obj));
  }
});

test('compileCondition() compiles a shared node once: 40 levels of (m or m) stay small and fast', async () => {
  const probe = new URL('./dag-probe.ts', import.meta.url);
  const leaf = 'ka.verb in (get, list) and ka.verb != watch and ka.verb startswith g';
  const big = await runInWorker<DagAnswers>(
    probe,
    'answerDag',
    { leaf, levels: 40, verbs: ['get', 'delete'], interpret: false },
    60_000,
  );
  // 2^40 copies of the leaf would not fit in memory; one function per level does.
  assert.ok(big.sourceLength < 20_000, `source of ${big.sourceLength} characters`);
  // A miss evaluates every level: without a per-event memo of shared nodes, 2^40 checks.
  assert.deepEqual(big.compiled, [true, false]);
  const small = await runInWorker<DagAnswers>(
    probe,
    'answerDag',
    { leaf, levels: 10, verbs: ['get', 'list', 'delete', 'watch'], interpret: true },
    60_000,
  );
  assert.deepEqual(small.compiled, small.interpreted);
  assert.deepEqual(small.compiled, [true, false, false, false]);
});
