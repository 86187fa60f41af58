import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import { runInWorker } from '../helpers/bounded-worker.ts';
import { HAS_SHARED, SHARED_SKIP, sharedFixture } from '../helpers/shared.ts';
import type { FuzzInput, FuzzOutcome } from './helpers/rules-probe.ts';

// Issue #11's fuzz suite, the rules half (seeded, bounded in time and memory): generated
// rules files (anchor bombs, macro doubling, lists of lists, deep nesting, hostile
// patterns for every operator, items in any order, YAML that is no rules file) and
// Falco's own k8s_audit_rules.yaml mutated (lines dropped, doubled, swapped, cut off,
// tokens swapped, cycles, aliases and bombs spliced in). Each must load into a
// LoadResult whose errors carry a position in the file and no stack trace; rules that
// load must run on real events without an internal error, the prefilter never skipping
// a line that alerts. The property runs in a worker with a 256 MB heap and a deadline:
// a blow-up or a stall fails the test instead of taking the suite down. A failure names
// its seed and path; fast-check replays it.
const PROBE = new URL('./helpers/rules-probe.ts', import.meta.url);
const HEAP = { maxOldGenerationSizeMb: 256 };
const DEADLINE_MS = 120_000;

async function fuzz(t: TestContext, input: FuzzInput, minRuns: number): Promise<FuzzOutcome> {
  const started = performance.now();
  const out = await runInWorker<FuzzOutcome>(PROBE, 'fuzzRulesFiles', input, DEADLINE_MS, HEAP);
  const ms = Math.round(performance.now() - started);
  t.diagnostic(`${out.runs} files, ${out.loaded} loaded, heap up to ${out.maxHeapMb} MB, ${ms} ms`);
  assert.equal(out.failure, undefined, out.failure);
  // The time limit may stop a slow machine early, but not before the property has seen
  // enough files to mean something.
  assert.ok(out.runs >= minRuns, `only ${out.runs} files in ${input.timeLimitMs} ms`);
  return out;
}

test('every generated rules file loads into a positioned LoadResult, in bounded time and memory', async (t) => {
  const out = await fuzz(t, { seed: 20261103, numRuns: 150, timeLimitMs: 5_000 }, 40);
  // The generator must reach the engine, not only the parser.
  assert.ok(
    out.withRules > out.runs / 5,
    `rules to run in only ${out.withRules} of ${out.runs} files`,
  );
});

test("Falco's k8s_audit_rules.yaml, mutated, loads into a positioned LoadResult", {
  skip: SHARED_SKIP,
}, async (t) => {
  if (!HAS_SHARED) return;
  const mutate = sharedFixture('falco', 'rules', 'k8s_audit_rules.yaml');
  const out = await fuzz(t, { seed: 20261104, numRuns: 40, timeLimitMs: 4_000, mutate }, 10);
  assert.ok(
    out.withRules > out.runs / 5,
    `rules to run in only ${out.withRules} of ${out.runs} files`,
  );
});
