import type { SourceFile } from './source-file.ts';
import { positionAt, snippetAt } from './source-file.ts';
import type { LoadErrorCode, LoadMessage, LoadWarningCode, Location } from './types.ts';
import type { YamlNode } from './yaml-node.ts';

/** Falco's context item types (rule_loader.h `context::item_type`), word for word. */
export const ITEM = {
  valueFor: 'value for',
  exceptions: 'exceptions',
  exception: 'exception',
  exceptionValues: 'exception values',
  exceptionValue: 'exception value',
  rulesContent: 'rules content',
  rulesContentItem: 'rules content item',
  engineVersion: 'required_engine_version',
  pluginVersions: 'required plugin versions',
  pluginVersionsEntry: 'required plugin versions entry',
  pluginVersionsAlternative: 'required plugin versions alternative',
  list: 'list',
  listItem: 'list item',
  macro: 'macro',
  macroCondition: 'macro condition',
  rule: 'rule',
  ruleCondition: 'rule condition',
  conditionExpression: 'condition expression',
  ruleOutput: 'rule output',
  ruleOutputExpression: 'rule output expression',
  rulePriority: 'rule priority',
  overrides: 'overrides',
} as const;

/** Falco's code descriptions (falco_load_result.cpp). */
export const CODE_DESCRIPTIONS: Readonly<Record<LoadErrorCode | LoadWarningCode, string>> = {
  LOAD_ERR_FILE_READ: 'Could not read file',
  LOAD_ERR_YAML_PARSE: 'Invalid yaml',
  LOAD_ERR_YAML_VALIDATE: 'Error validating internal structure of YAML file',
  LOAD_ERR_COMPILE_CONDITION: 'Error compiling condition',
  LOAD_ERR_COMPILE_OUTPUT: 'Error compiling output',
  LOAD_ERR_VALIDATE: 'Error validating rule/macro/list/exception objects',
  LOAD_ERR_EXTENSION: 'Error in extension item',
  LOAD_UNKNOWN_SOURCE: 'Unknown source',
  LOAD_UNSAFE_NA_CHECK: 'Unsafe <NA> comparison in condition',
  LOAD_NO_EVTTYPE: 'Condition has no event-type restriction',
  LOAD_UNKNOWN_FILTER: 'Unknown field or event-type in condition or output',
  LOAD_UNUSED_MACRO: 'Unused macro',
  LOAD_UNUSED_LIST: 'Unused list',
  LOAD_UNKNOWN_ITEM: 'Unknown rules file item',
  LOAD_DEPRECATED_ITEM: 'Used deprecated item',
  LOAD_WARNING_EXTENSION: 'Warning in extension item',
  LOAD_APPEND_NO_VALUES: 'Overriding/appending with no values',
  LOAD_EXCEPTION_NAME_NOT_UNIQUE: 'Multiple exceptions defined with the same name',
  LOAD_INVALID_MACRO_NAME: 'Invalid macro name',
  LOAD_INVALID_LIST_NAME: 'Invalid list name',
  LOAD_COMPILE_CONDITION: 'Condition has compilation warnings',
  LOAD_UNKNOWN_KEY: 'Unknown key in item',
};

// Falco's fixed messages (rule_loading_messages.h); tests and users match on them.
export const MSG = {
  appendDeprecated:
    "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.",
  enabledDeprecated:
    "The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'replace' entry under the 'override' key (i.e. 'enabled: replace').",
  overrideAppend:
    "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.",
  noPreviousMacro:
    "Macro uses 'append' or 'override.condition: append' but no macro by that name already exists",
  noPreviousList:
    "List uses 'append' or 'override.items: append' but no list by that name already exists",
  noPreviousRuleAppend:
    "Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists",
  noPreviousRuleReplace:
    "An 'override.<key>: replace' to a rule was requested but no rule by that name already exists",
  invalidMacroName:
    'Macro has an invalid name. Macro names should match a regular expression: ([a-zA-Z]+[a-zA-Z0-9_]*)',
  invalidListName:
    'List has an invalid name. List names should match a regular expression: ([^()"\'[:space:]=,]+)',
} as const;

/** A context chain: outermost first, as Falco's `rule_loader::context`. */
export type Context = readonly Location[];

/** Extends `parent` with a location at `offset` in `node`'s file. */
export function at(
  parent: Context,
  node: YamlNode,
  itemType: string,
  itemName: string,
  offset: number = node.start,
): Context {
  return [...parent, { itemType, itemName, position: positionAt(node.file, offset) }];
}

/** A load problem raised while reading or compiling; caught per file or per item. */
export class RuleLoadError extends Error {
  override readonly name = 'RuleLoadError';
  constructor(
    readonly code: LoadErrorCode,
    message: string,
    readonly context: Context,
    readonly snippet?: string,
    readonly reason?: string,
    /** File offset where the caret ends. */
    readonly end?: number,
  ) {
    super(message);
  }
}

/** Collects errors and warnings; snippets default to the innermost location's line. */
export interface Reporter {
  readonly errors: LoadMessage[];
  readonly warnings: LoadMessage[];
  readonly files: Map<string, SourceFile>;
  error(code: LoadErrorCode, message: string, context: Context, extra?: MessageExtra): void;
  warn(code: LoadWarningCode, message: string, context: Context, extra?: MessageExtra): void;
  /** Records a caught RuleLoadError. */
  fail(err: RuleLoadError): void;
}

export interface MessageExtra {
  readonly snippet?: string;
  readonly reason?: string;
  /** Offset in the condition/output scalar's value where the problem starts. */
  readonly conditionOffset?: number;
  /** File offset where the caret ends (defaults to one character). */
  readonly end?: number;
}

/** Creates an empty Reporter. */
export function createReporter(): Reporter {
  const files = new Map<string, SourceFile>();
  const build = (
    code: LoadErrorCode | LoadWarningCode,
    message: string,
    context: Context,
    extra: MessageExtra = {},
  ): LoadMessage => {
    let snippet = extra.snippet;
    const last = context[context.length - 1];
    if (snippet === undefined && last !== undefined) {
      const file = files.get(last.position.name);
      if (file !== undefined) snippet = snippetAt(file, last.position.offset, extra.end);
    }
    return {
      code,
      message,
      locations: context,
      ...(snippet === undefined ? {} : { snippet }),
      ...(extra.reason === undefined ? {} : { reason: extra.reason }),
      ...(extra.conditionOffset === undefined ? {} : { conditionOffset: extra.conditionOffset }),
    };
  };
  const errors: LoadMessage[] = [];
  const warnings: LoadMessage[] = [];
  return {
    errors,
    warnings,
    files,
    error: (code, message, context, extra) => errors.push(build(code, message, context, extra)),
    warn: (code, message, context, extra) => warnings.push(build(code, message, context, extra)),
    fail: (err) =>
      errors.push(
        build(err.code, err.message, err.context, {
          ...(err.snippet === undefined ? {} : { snippet: err.snippet }),
          ...(err.reason === undefined ? {} : { reason: err.reason }),
          ...(err.end === undefined ? {} : { end: err.end }),
        }),
      ),
  };
}
