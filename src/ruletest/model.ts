import type { RuleMatching } from '../engine/index.ts';
import type { LineRange } from '../pipeline/index.ts';
import type { Position, RulesSource } from '../rules/index.ts';

/** Problems with a tests file, reported like rules load messages (file:line:col, a code). */
export type TestErrorCode =
  /** The file is not YAML, or cannot be read. */
  | 'TEST_ERR_YAML_PARSE'
  /** A key is missing, unknown or of the wrong type. */
  | 'TEST_ERR_VALIDATE'
  /** An event does not decode, or its file cannot be read. */
  | 'TEST_ERR_EVENTS'
  /** The rules a case loads do not load. */
  | 'TEST_ERR_RULES_LOAD'
  /** A case names a rule the loaded rules do not have. */
  | 'TEST_ERR_UNKNOWN_RULE';

/** One problem found in a tests file or while preparing a case. */
export interface TestMessage {
  readonly code: TestErrorCode;
  readonly message: string;
  readonly position: Position;
  /** The source line with a caret under the problem, when there is one. */
  readonly snippet?: string;
}

/** An output field's expected value: text, a list, or null for an absent field (`<NA>`). */
export type ExpectedValue = string | readonly string[] | null;

/** `{rule, count, output_fields}`: how many alerts a rule raises over a case's events. */
export interface Expectation {
  readonly rule: string;
  /** Exactly this many alerts of the rule, over all of the case's events. */
  readonly count: number;
  /** Values every alert of the rule must have in its output fields. */
  readonly outputFields: ReadonlyMap<string, ExpectedValue>;
  readonly position: Position;
}

/** An event written in the tests file, with where it is. */
export interface InlineEvent {
  readonly value: unknown;
  readonly position: Position;
}

/** Where a case's events come from: written inline, or lines of an audit log. */
export type CaseEvents =
  | { readonly kind: 'inline'; readonly events: readonly InlineEvent[] }
  | {
      readonly kind: 'file';
      /** Resolved against the tests file's directory. */
      readonly path: string;
      readonly range: LineRange;
      readonly position: Position;
    };

/** The rules a case runs: files in order, then inline overrides. */
export interface RulesLoad {
  /** Rules files, resolved, in load order (override files last). */
  readonly files: readonly string[];
  /** The case's `overrides:` items as a rules file of their own, positions kept. */
  readonly overrides?: RulesSource;
}

/** One case of a tests file. */
export interface TestCase {
  readonly name: string;
  /** The tests file. */
  readonly file: string;
  readonly position: Position;
  /** The rules under test, with where each is named. */
  readonly rules: readonly { readonly name: string; readonly position: Position }[];
  readonly events: CaseEvents;
  readonly load: RulesLoad;
  readonly ruleMatching: RuleMatching;
  readonly expect: readonly Expectation[];
}

/** A tests file read: its cases, and what was wrong with it. */
export interface TestFile {
  readonly path: string;
  /** The rules the file tests as a whole (its `rules_files`, or the rules it sits next to). */
  readonly rulesFiles: readonly string[];
  readonly cases: readonly TestCase[];
  readonly errors: readonly TestMessage[];
}
