// Runs conditions against hostile events; loaded in a worker by runInWorker (a stall there
// ends in a terminated worker and a failed test, not a hung suite).
import { compileCondition } from '../../src/lang/compile.ts';
import { interpretCondition } from '../../src/lang/interpret.ts';
import { parseCondition } from '../../src/lang/parser.ts';
import { TEST_ENV, testRecord } from './test-registry.ts';

export interface ConditionCase {
  readonly condition: string;
  readonly event: Record<string, unknown>;
}

export interface ConditionResult {
  readonly compiled: boolean;
  readonly interpreted: boolean;
}

/** Each condition's answer on its event, from the compiler and from the interpreter. */
export function evaluateConditions(cases: readonly ConditionCase[]): ConditionResult[] {
  return cases.map(({ condition, event }) => {
    const expr = parseCondition(condition);
    const rec = testRecord(event);
    return {
      compiled: compileCondition(expr, TEST_ENV).fn(rec),
      interpreted: interpretCondition(expr, rec, TEST_ENV),
    };
  });
}

export interface GrowthCase {
  readonly condition: string;
  readonly small: Record<string, unknown>;
  readonly big: Record<string, unknown>;
}

export interface Growth {
  readonly condition: string;
  /** Time per evaluation on `big` over time per evaluation on `small` (best of rounds). */
  readonly ratio: number;
  /** Whether compiler and interpreter agreed on both events. */
  readonly agreed: boolean;
}

/**
 * CPU microseconds per call, repeating until the batch is long enough to time. CPU time,
 * unlike wall time, does not grow while other processes hold the machine's cores.
 */
function cpuPerCall(run: () => void): number {
  for (let reps = 1; ; reps *= 2) {
    const start = process.cpuUsage();
    for (let i = 0; i < reps; i++) run();
    const used = process.cpuUsage(start);
    const us = used.user + used.system;
    if (us >= 2000 || reps >= 1 << 20) return us / reps;
  }
}

const ROUNDS = 3;

/**
 * How a compiled condition's time grows from `small` to `big`: rounds alternate
 * between the two, and the fastest round of each counts, which drops what other work on
 * the machine adds.
 */
export function measureGrowth(cases: readonly GrowthCase[]): Growth[] {
  return cases.map(({ condition, small, big }) => {
    const expr = parseCondition(condition);
    const { fn } = compileCondition(expr, TEST_ENV);
    const recs = [testRecord(small), testRecord(big)] as const;
    const agreed = recs.every((r) => fn(r) === interpretCondition(expr, r, TEST_ENV));
    let bestSmall = Number.POSITIVE_INFINITY;
    let bestBig = Number.POSITIVE_INFINITY;
    for (let round = 0; round < ROUNDS; round++) {
      bestSmall = Math.min(
        bestSmall,
        cpuPerCall(() => fn(recs[0])),
      );
      bestBig = Math.min(
        bestBig,
        cpuPerCall(() => fn(recs[1])),
      );
    }
    return { condition, ratio: bestBig / bestSmall, agreed };
  });
}
