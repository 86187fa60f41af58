// Runs the rules-file property in a worker (see runInWorker), so that a stall or a heap
// blow-up ends the worker and fails the test instead of hanging or killing the suite.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { generateEvents } from '../../../bench/generate.ts';
import { createDetector } from '../../../src/pipeline/index.ts';
import { type LoadResult, loadRules } from '../../../src/rules/index.ts';
import { recordOf } from '../../helpers/events.ts';
import { rulesFileArb } from '../../rules/helpers/rules-arbitrary.ts';
import { mutatedRulesArb } from '../../rules/helpers/rules-mutation.ts';

export const FUZZ_FILE = 'fuzz.yaml';

// Realistic events, attacks included, so that loaded rules match some of them.
const EVENTS = [...generateEvents({ mix: 'busy', events: 30, seed: 7, attackShare: 0.5 })].map(
  (line) => ({ line, rec: recordOf(JSON.parse(line) as Record<string, unknown>) }),
);

/** Why a load is not a clean LoadResult: undefined when it is one. */
function problemOf(result: LoadResult, content: string): string | undefined {
  for (const m of [...result.errors, ...result.warnings]) {
    if (/\n\s+at /.test(m.message)) return `stack trace in a message: ${m.message}`;
  }
  for (const e of result.errors) {
    const pos = e.locations[e.locations.length - 1]?.position;
    if (pos === undefined || pos.name !== FUZZ_FILE || pos.line < 1 || pos.column < 1) {
      return `error without a position in the file: ${JSON.stringify(e)}`;
    }
    if (pos.offset > content.length) return `error past the end of the file: ${JSON.stringify(e)}`;
  }
  if (result.ok !== (result.errors.length === 0)) return 'ok disagrees with the errors';
  return undefined;
}

/** Why running the loaded rules went wrong: undefined when nothing did. */
function runProblemOf(result: LoadResult): string | undefined {
  if (result.rules.length === 0) return undefined;
  const detector = createDetector(result.rules, {
    ruleMatching: 'all',
    hostname: 'h',
    fastpath: true,
  });
  for (const { line, rec } of EVENTS) {
    const alerts = detector.process(rec);
    if (alerts.length > 0 && detector.skipLine?.(line) === true) {
      return `the prefilter skips a line that alerts (${alerts[0]?.rule}): ${line}`;
    }
  }
  const errors = detector.engine.internalErrors;
  return errors === 0 ? undefined : `${errors} internal errors evaluating the rules`;
}

/** What the property run found. */
export interface FuzzOutcome {
  readonly runs: number;
  /** Files that loaded with no error, and files that gave rules to run. */
  readonly loaded: number;
  readonly withRules: number;
  /** The failure with its seed and replay path, when there is one. */
  readonly failure?: string;
  /** Largest heap seen after a case, in MB. */
  readonly maxHeapMb: number;
}

/** What to fuzz: generated files, or a real rules file (by path) mutated. */
export interface FuzzInput {
  readonly seed: number;
  readonly numRuns: number;
  /** fast-check stops starting cases after this many ms (the runs done still count). */
  readonly timeLimitMs: number;
  readonly mutate?: string;
}

/**
 * Loads generated rules files: each must give a LoadResult whose errors all have a
 * position in the file and carry no stack trace; the rules loaded must run on real
 * events without an internal error, and the prefilter must never skip a line that alerts.
 */
export function fuzzRulesFiles(input: FuzzInput): FuzzOutcome {
  const arb =
    input.mutate === undefined ? rulesFileArb : mutatedRulesArb(readFileSync(input.mutate, 'utf8'));
  let maxHeap = 0;
  let runs = 0;
  let loaded = 0;
  let withRules = 0;
  const details = fc.check(
    fc.property(arb, (content) => {
      runs++;
      const result = loadRules([{ name: FUZZ_FILE, content }]);
      const problem = problemOf(result, content) ?? runProblemOf(result);
      if (problem !== undefined) throw new Error(problem);
      if (result.ok) loaded++;
      if (result.rules.length > 0) withRules++;
      maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
    }),
    { seed: input.seed, numRuns: input.numRuns, interruptAfterTimeLimit: input.timeLimitMs },
  );
  const base = { runs, loaded, withRules, maxHeapMb: Math.round(maxHeap / 2 ** 20) };
  if (!details.failed) return base;
  const example = JSON.stringify(details.counterexample?.[0] ?? '').slice(0, 3000);
  const error =
    details.errorInstance instanceof Error
      ? details.errorInstance.stack
      : String(details.errorInstance);
  return {
    ...base,
    failure: `seed ${details.seed}, path ${details.counterexamplePath}: ${error}\nfile: ${example}`,
  };
}
