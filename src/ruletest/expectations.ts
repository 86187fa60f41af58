import type { Alert, AlertFieldValue } from '../engine/index.ts';
import type { Expectation, ExpectedValue, TestCase } from './model.ts';

/** A rule raised a different number of alerts than the case expects. */
export interface CountFailure {
  readonly kind: 'count';
  readonly expect: Expectation;
  readonly actual: number;
}

/** An alert's output field differs from the expected value. */
export interface FieldFailure {
  readonly kind: 'field';
  readonly expect: Expectation;
  /** 1-based, among the rule's alerts in event order. */
  readonly alert: number;
  readonly field: string;
  readonly expected: ExpectedValue;
  /** Undefined when the rule's output has no such field. */
  readonly actual: AlertFieldValue | undefined;
}

export type Failure = CountFailure | FieldFailure;

function sameValue(a: ExpectedValue, b: AlertFieldValue | undefined): boolean {
  if (a === null || b === null || b === undefined) return a === b;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Compares a case's alerts with its expectations: each expected rule fired exactly
 * `count` times, and every one of its alerts has the expected output field values.
 * Pure, so the mutation check can run it on a mutant's alerts.
 */
export function checkExpectations(test: TestCase, alerts: readonly Alert[]): Failure[] {
  const failures: Failure[] = [];
  for (const expect of test.expect) {
    const mine = alerts.filter((a) => a.rule === expect.rule);
    if (mine.length !== expect.count) failures.push({ kind: 'count', expect, actual: mine.length });
    mine.forEach((a, i) => {
      for (const [field, expected] of expect.outputFields) {
        const actual = Object.hasOwn(a.outputFields, field) ? a.outputFields[field] : undefined;
        if (!sameValue(expected, actual)) {
          failures.push({ kind: 'field', expect, alert: i + 1, field, expected, actual });
        }
      }
    });
  }
  return failures;
}
