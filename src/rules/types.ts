import type { Expr } from '../lang/ast.ts';
import type { CorrelationSpec, SuppressSpec } from './correlation.ts';
import type { Priority } from './priority.ts';

/** A position in a rules file (1-based line and column, 0-based byte offset). */
export interface Position {
  readonly name: string;
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** One step of a message's context chain, as Falco's load result prints it. */
export interface Location {
  /** Falco's item type: 'rule', 'macro', 'list', 'rule condition', 'rule output', … */
  readonly itemType: string;
  readonly itemName: string;
  readonly position: Position;
}

/** Falco's load result codes (falco_load_result.h), word for word. */
export type LoadErrorCode =
  | 'LOAD_ERR_FILE_READ'
  | 'LOAD_ERR_YAML_PARSE'
  | 'LOAD_ERR_YAML_VALIDATE'
  | 'LOAD_ERR_COMPILE_CONDITION'
  | 'LOAD_ERR_COMPILE_OUTPUT'
  | 'LOAD_ERR_VALIDATE'
  | 'LOAD_ERR_EXTENSION';

export type LoadWarningCode =
  | 'LOAD_UNKNOWN_SOURCE'
  | 'LOAD_UNSAFE_NA_CHECK'
  | 'LOAD_NO_EVTTYPE'
  | 'LOAD_UNKNOWN_FILTER'
  | 'LOAD_UNUSED_MACRO'
  | 'LOAD_UNUSED_LIST'
  | 'LOAD_UNKNOWN_ITEM'
  | 'LOAD_DEPRECATED_ITEM'
  | 'LOAD_WARNING_EXTENSION'
  | 'LOAD_APPEND_NO_VALUES'
  | 'LOAD_EXCEPTION_NAME_NOT_UNIQUE'
  | 'LOAD_INVALID_MACRO_NAME'
  | 'LOAD_INVALID_LIST_NAME'
  | 'LOAD_COMPILE_CONDITION'
  | 'LOAD_UNKNOWN_KEY';

/** One error or warning from loading rules files. */
export interface LoadMessage {
  readonly code: LoadErrorCode | LoadWarningCode;
  readonly message: string;
  /** Outermost first: the file item, then e.g. the rule condition. */
  readonly locations: readonly Location[];
  /** The offending text with a caret line under the problem, when there is one. */
  readonly snippet?: string;
  /** snake_case reason from the condition language, when the message came from it. */
  readonly reason?: string;
  /**
   * For condition/output problems: the offset in the YAML scalar's value (the text as
   * written in the file, before list substitution) where the problem starts.
   */
  readonly conditionOffset?: number;
}

/**
 * One item that changed an already defined rule: `redefine` (a second full definition),
 * `append` (legacy `append: true` or `override: {key: append}`), `override` (`override:
 * {key: replace}`), `enable`/`disable` (a rule item with only `enabled`, or `enabled`
 * replaced). `keys` are the keys the item changed.
 */
export interface RuleChange {
  readonly kind: 'redefine' | 'append' | 'override' | 'enable' | 'disable';
  readonly keys: readonly string[];
  readonly position: Position;
  /** The value of `enabled` the item set, when it set one. */
  readonly enabled?: boolean;
}

/** A compiled, ready-to-run rule. */
export interface LoadedRule {
  readonly name: string;
  readonly desc: string;
  /** Condition after list substitution, macro expansion and exceptions. */
  readonly condition: Expr;
  /** Falco's printed form of `condition` (describe_rule's condition_compiled). */
  readonly compiledCondition: string;
  /** Output template, trimmed (the `%field` text, not yet rendered). */
  readonly output: string;
  readonly priority: Priority;
  readonly source: string;
  /** Sorted, unique. */
  readonly tags: readonly string[];
  readonly enabled: boolean;
  /**
   * True when the rule is less severe than the load's minimum priority: it stays
   * disabled whatever `enabled` or a rule selection says (Falco never enables it).
   */
  readonly belowMinPriority?: boolean;
  /** Fields named by the rule's exceptions, in order of first appearance. */
  readonly exceptionFields: readonly string[];
  /** Where the rule was first defined. */
  readonly position: Position;
  /**
   * Every later item that changed the rule, in load order: a redefinition, an append, an
   * override, or an `enabled` change (`rules explain` lists them). Empty when none did.
   */
  readonly changes: readonly RuleChange[];
  /**
   * A correlated rule (`correlate:`): its steps' conditions; `condition` is then their
   * `or`, which is what the prefilter and requirement analysis see.
   */
  readonly correlation?: CorrelationSpec;
  /** `suppress:`: at most one alert per key and window. */
  readonly suppress?: SuppressSpec;
}

/** The outcome of loading one or more rules files in order. */
export interface LoadResult {
  readonly ok: boolean;
  readonly errors: readonly LoadMessage[];
  readonly warnings: readonly LoadMessage[];
  /** Rules in definition order (of first definition), for every source, enabled or not. */
  readonly rules: readonly LoadedRule[];
  /** Rule names skipped because their source is not one we run (e.g. syscall). */
  readonly skippedRules: readonly string[];
  /** Expanded lists by name (after append/override), for `rules explain` and coverage. */
  readonly lists: ReadonlyMap<string, readonly string[]>;
  /** Highest required_engine_version seen, as semver text. */
  readonly requiredEngineVersion?: string;
}

/** A rules file's text with the name used in positions. */
export interface RulesSource {
  readonly name: string;
  readonly content: string;
}
