import type { Expr } from '../lang/ast.ts';

/**
 * How a correlated rule combines matching events (docs/correlation.md; Sigma's names in
 * brackets): `threshold` (event_count), `distinct` (value_count), `sequence`
 * (temporal_ordered), `unordered` (temporal).
 */
export type CorrelationKind = 'threshold' | 'distinct' | 'sequence' | 'unordered';

export const CORRELATION_KINDS: readonly CorrelationKind[] = [
  'threshold',
  'distinct',
  'sequence',
  'unordered',
];

/**
 * A value events are grouped, joined or counted by: one field (`ka.user.name`) or a
 * template of fields (`system:serviceaccount:%ka.target.namespace:%ka.target.name`).
 */
export interface KeyTerm {
  /** The name of the value in the alert's `group`: the term as written, or its label. */
  readonly label: string;
  /** The term as an output template: `%ka.user.name` for a field written bare. */
  readonly template: string;
}

/** One condition of a correlated rule (threshold and distinct rules have one). */
export interface CorrelationStep {
  readonly name: string;
  /** After list substitution, macro expansion and the rule's exceptions. */
  readonly condition: Expr;
  /** Falco's printed form of `condition`. */
  readonly compiledCondition: string;
  /** Join terms of this step, compared in order with the other steps' (after the rule's `by`). */
  readonly by: readonly KeyTerm[];
}

/** What makes a rule correlated: plain data, sent to scanning threads and cached. */
export interface CorrelationSpec {
  readonly kind: CorrelationKind;
  /** Every event of one alert lies within this span of event time (stageTimestamp). */
  readonly windowMs: number;
  /** Group terms shared by every step. */
  readonly by: readonly KeyTerm[];
  /** Threshold: matching events; distinct: distinct values; sequences: the step count. */
  readonly count: number;
  /** Distinct: the value counted. */
  readonly field?: KeyTerm;
  readonly steps: readonly CorrelationStep[];
}

/** `suppress:` on any rule: at most one alert per key and window; the rest are counted. */
export interface SuppressSpec {
  readonly windowMs: number;
  readonly by: readonly KeyTerm[];
}

/** Limits the loader enforces, so that every window, group and alert stays bounded. */
export const CORRELATION_LIMITS = {
  maxWindowMs: 24 * 60 * 60 * 1000,
  maxCount: 10_000,
  minSteps: 2,
  maxSteps: 10,
  maxTerms: 8,
} as const;

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^(?:\d+(?:ms|s|m|h))+$/;
const PART = /(\d+)(ms|s|m|h)/g;

/**
 * Parses a duration as Go writes them, without fractions: `500ms`, `30s`, `10m`,
 * `1h30m`. Undefined when it is not one, or is zero.
 *
 * @example parseDuration('1m30s') // 90000
 */
export function parseDuration(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let ms = 0;
  for (const m of text.matchAll(PART)) ms += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  return ms > 0 && Number.isSafeInteger(ms) ? ms : undefined;
}

/**
 * A duration in the shortest form parseDuration reads back: `90000` → `1m30s`.
 *
 * @example formatDuration(3_600_000) // '1h'
 */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s';
  let rest = Math.floor(ms);
  let out = '';
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}
