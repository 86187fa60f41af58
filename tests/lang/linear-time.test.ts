import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { runInWorker } from '../helpers/bounded-worker.ts';
import type { Growth, GrowthCase } from './hostile-probe.ts';

/**
 * Every string operator and transformer, on generated hostile values (long repeats of
 * pattern fragments, separators, near misses), takes time that grows at most linearly
 * with the value: an 8x longer value may cost at most MAX_RATIO times as much. Linear
 * work gives about 8; quadratic work 64; a backtracking blow-up never finishes, which the
 * worker's deadline turns into a failure. Timings compare best-of-rounds on the same
 * machine within one run, never an absolute figure.
 */
const SCALE = 8;
const MAX_RATIO = 24;
const SMALL_LENGTH = 1500;
const DEADLINE_MS = 180_000;
const SEED = 11;
const SAMPLES = 4;
/** A case over MAX_RATIO is measured again this many times and its best ratio counts. */
const RETRIES = 3;

// Conditions chosen to hit each operator's worst case on values built from these pieces.
const CONDITIONS: readonly string[] = [
  'ka.uri = "/namespaces/a/pods/b"',
  'ka.uri != "/namespaces/a/pods/b"',
  'ka.uri contains "aaaaaaaab"',
  'ka.uri icontains "AAAAAAAAB"',
  'ka.uri startswith "/namespaces/x"',
  'ka.uri endswith "exec!"',
  'ka.uri glob "*/namespaces/*/pods/*/exec*"',
  'ka.uri glob "*a*a*a*a*b"',
  'ka.uri glob "*[a-z]?[!/]*exec"',
  'ka.uri iglob "*A*A*A*A*B"',
  'ka.uri pmatch (/namespaces/*/pods, /*a*a*b, /a/b/c/d/e/f)',
  'ka.uri regex "(a+)+$"',
  'ka.uri regex "(a|aa)+b"',
  'ka.uri regex ".*AKIA[0-9A-Z]{16}.*"',
  'ka.uri regex "(.*,)*x"',
  'ka.uri regex "^/(healthz|livez|readyz)([/?].*)?$"',
  'ka.uri regex "[a-z/]*exec[a-z]*"',
  'ka.uri in ("/namespaces/a/pods/b", aaaa)',
  'ka.uri intersects ("/namespaces/a/pods/b", aaaa)',
  'ka.user.groups in (a, aa, "/pods/")',
  'ka.user.groups intersects (b, exec)',
  'tolower(ka.uri) contains "aab"',
  'toupper(ka.uri) startswith "AAAAB"',
  'b64(ka.uri) = "x"',
  'basename(ka.uri) = "exec"',
  'len(ka.uri) > 5',
  'ka.uri startswith anyof (aab, "/x")',
  'ka.uri glob oneof ("*a*a*b", "*exec*exec*x")',
  'ka.uri regex allof ("(a|aa)*", "[a/]*")',
];

const PIECES = [
  'a',
  'aa',
  'b',
  'A',
  '/',
  '/namespaces/',
  '/pods/',
  'exec',
  'AKIA',
  'AKIAABCDEFGHIJKLMNOP',
  ',',
  '-',
  '\n',
  '\u2028',
  '=',
  'YWFh',
];
const motif = fc
  .array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 5 })
  .map((p) => p.join(''));
const nearMiss = fc.constantFrom('', '!', '\n', 'b', 'x', 'exec', '/');

function repeatTo(piece: string, length: number): string {
  return piece.repeat(Math.ceil(length / piece.length));
}

function growthCases(m: string, tail: string): GrowthCase[] {
  const value = (n: number): Record<string, unknown> => ({
    auditID: 'a1',
    verb: 'get',
    requestURI: repeatTo(m, n) + tail,
    user: { username: 'u', groups: Array.from({ length: Math.ceil(n / 8) }, () => m) },
  });
  return CONDITIONS.map((condition) => ({
    condition,
    small: value(SMALL_LENGTH),
    big: value(SMALL_LENGTH * SCALE),
  }));
}

/** Measures cases in a bounded worker (a stall fails the test instead of hanging it). */
function measure(cases: readonly GrowthCase[]): Promise<Growth[]> {
  return runInWorker<Growth[]>(
    new URL('./hostile-probe.ts', import.meta.url),
    'measureGrowth',
    cases,
    DEADLINE_MS,
  );
}

test('every string operator takes time linear in the value on hostile values', async () => {
  const samples = fc.sample(fc.tuple(motif, nearMiss), { seed: SEED, numRuns: SAMPLES });
  const cases = samples.flatMap(([m, tail]) => growthCases(m, tail));
  let growth = await measure(cases);
  const disagree = growth.filter((g) => !g.agreed).map((g) => g.condition);
  assert.deepEqual(disagree, [], 'compiler and interpreter disagree');
  // A busy machine (a CI runner, a collector's pause) can slow one measurement of a linear
  // case past the limit; superlinear work stays past it on every try, so only a case that
  // never comes under the limit fails.
  for (let attempt = 0; attempt < RETRIES; attempt++) {
    const over = growth.flatMap((g, i) => (g.ratio > MAX_RATIO ? [i] : []));
    if (over.length === 0) break;
    const again = await measure(over.map((i) => cases[i] as GrowthCase));
    growth = growth.map((g, i) => {
      const k = over.indexOf(i);
      const r = k < 0 ? undefined : again[k];
      return r !== undefined && r.ratio < g.ratio ? r : g;
    });
  }
  const worst = growth.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  assert.ok(
    worst.ratio <= MAX_RATIO,
    `${worst.condition}: ${worst.ratio.toFixed(1)}x the time for ${SCALE}x the length`,
  );
});
