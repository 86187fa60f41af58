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
  // kaudit's correlation keys (docs/correlation.md).
  ruleCorrelation: 'rule correlation',
  correlationStep: 'correlation step',
  correlationCondition: 'correlation condition',
  correlationTerm: 'correlation term',
  ruleSuppression: 'rule suppression',
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

/**
 * Every message the loader reports, word for word: Falco's own (rule_loading_messages.h,
 * reader.cpp, collector.cpp, compiler.cpp) and kaudit's additions. Tests and users match
 * on this text, so a change here is a change of behaviour.
 */
export const MSG = {
  // Reading a rules file (reader.cpp).
  readFailed: (path: string, detail: string) => `Could not read rules file '${path}': ${detail}`,
  noRulesFiles: (path: string) =>
    `Rules directory '${path}' holds no .yaml or .yml file; name the rules files or a directory that holds them`,
  noRulesToRun: (sources: readonly string[], skipped: number) =>
    `No rule for the event sources kaudit runs (${sources.join(', ')}) was loaded${skipped > 0 ? `; ${skipped} rules of other sources were skipped` : ': the files define no rules'}, so a scan with these rules could never alert`,
  notYaml: 'Rules content is not yaml',
  notYamlArray: 'Rules content is not yaml array of objects',
  notMapItem: 'Unexpected element type. Each element should be a yaml associative array.',
  unknownItem: 'Unknown top level item',
  unknownKey: (name: string) => `Unknown key '${name}'. The key will be ignored.`,
  aliasInsideItself: (anchor: string) =>
    `Alias '*${anchor}' is inside the node it names, so it would repeat forever; copy the items instead`,
  aliasesTooLarge: (anchor: string, limit: number) =>
    `Alias '*${anchor}' makes the aliases of this file stand for more than ${limit} YAML nodes; aliases this large are a resource exhaustion attack or a mistake`,

  // Decoding values (reader.cpp decode_val, decode_seq, decode_overrides).
  noMapping: (key: string) => `Item has no mapping for key '${key}'`,
  emptyMapping: (key: string) => `Mapping for key '${key}' is empty`,
  notScalar: 'Value is not a scalar value',
  emptyValue: 'Value must be non-empty',
  undecodableScalar: "Can't decode YAML scalar value",
  notSequence: 'Value is not a sequence',
  seqValueNotScalar: 'sequence value is not scalar',
  notMap: 'Value is not a map',
  cannotAppend: (key: string) => `Key '${key}' cannot be appended to, use 'replace' instead`,
  cannotReplace: (key: string) => `Key '${key}' cannot be replaced`,
  invalidOverrideOp: (key: string, op: string, canAppend: boolean, canReplace: boolean) =>
    `Invalid override operation for key '${key}': '${op}'. Allowed values are: ${canAppend ? 'append ' : ''}${canReplace ? 'replace ' : ''}`,

  // Engine and plugin versions.
  badEngineVersion: (text: string) =>
    `Unable to parse engine version '${text}' as a semver string. Expected "x.y.z" semver format.`,
  engineTooOld: (required: string, engine: string) =>
    `Rules require engine version ${required}, but engine version is ${engine}`,
  pluginVersionsNotSeq: 'Value of required_plugin_versions must be a sequence',
  pluginVersionNotMap: 'Plugin version must be a mapping',
  alternativesNotSeq: 'Value of plugin version alternatives must be a sequence',
  alternativeNotMap: 'Plugin version alternative must be a mapping',
  invalidRequiredVersion: (version: string, plugin: string) =>
    `Invalid required version '${version}' for plugin '${plugin}'`,
  duplicateAlternative: (plugin: string) =>
    `Defined multiple alternative version requirements for plugin '${plugin}'`,
  pluginInvalidVersion: (plugin: string, have: string) =>
    `Plugin '${plugin}' has invalid version string '${have}'`,
  pluginIncompatible: (plugin: string, have: string, required: string) =>
    `Plugin '${plugin}' version '${have}' is not compatible with required plugin version '${required}'`,
  pluginNotLoaded: (alternatives: readonly { readonly name: string; readonly version: string }[]) =>
    `Plugin requirement not satisfied, must load one of: ${alternatives.map((r) => `${r.name} (>= ${r.version})`).join(', ')}`,

  // Append and override (rule_loading_messages.h).
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
  noPreviousRuleEnabled: "Rule has 'enabled' key but no rule by that name already exists",
  overrideKeyUndefined: (kind: string, key: string) =>
    `An ${kind} override for '${key}' was specified but '${key}' is not defined`,
  overrideKeyMissing: (key: string) =>
    `Unexpected key '${key}': no corresponding entry under 'override' is defined.`,
  emptyAppend: 'Appended rule must have exceptions or condition property',
  emptyReplace: 'The rule must have at least one field that can be replaced',

  // Lists, macros and rules.
  invalidMacroName:
    'Macro has an invalid name. Macro names should match a regular expression: ([a-zA-Z]+[a-zA-Z0-9_]*)',
  invalidListName:
    'List has an invalid name. List names should match a regular expression: ([^()"\'[:space:]=,]+)',
  invalidPriority: 'Invalid priority',
  otherSource: 'Rule has been re-defined with a different source',
  unknownSource: (source: string) => `Unknown source ${source}, skipping`,

  // Exceptions (reader.cpp read_rule_exceptions, collector.cpp, compiler.cpp).
  exceptionsNotSeq: 'Rule exceptions must be a sequence',
  exceptionNotMap: 'Rule exception must be a mapping',
  exceptionValuesNotSeq: 'Rule exception values must be a sequence',
  duplicateException: (name: string) =>
    `Multiple definitions of exception '${name}' in the same rule`,
  exceptionNoValuesAppended: 'Overriding/appending exception with no values',
  exceptionItemNoFields: 'Rule exception item must have fields property with a list of fields',
  exceptionNoFields: 'Rule exception must have fields property with a list of fields',
  exceptionNoValues: 'Rule exception must have values property with a list of values',
  appendExceptionFields: 'Can not append exception fields to existing exception, only values',
  appendExceptionComps: 'Can not append exception comps to existing exception, only values',
  compsLength: 'Fields and comps lists must have equal length',
  valuesLength: 'Fields and values lists must have equal length',
  compsNotStrings: 'Fields and comps must both be strings',
  singleFieldComp:
    'When fields is a single value, comps must be one of (in, pmatch, intersects) or a modifier operator (e.g. startswith oneof)',
  unsupportedComp: (comp: string) => `'${comp}' is not a supported comparison operator`,
  unsupportedField: (field: string) => `'${field}' is not a supported filter field`,
  valuesNotStrings: 'Expected values array to contain a list of strings',

  // Compiling (compiler.cpp).
  referenceLoop: (macro: string, cycle: readonly string[]) =>
    `reference loop in macro '${macro}': ${cycle.join(' -> ')}`,
  undefinedMacro: (macro: string) => `Undefined macro '${macro}' used in filter.`,
  conditionTooLong: (list: string, limit: number) =>
    `Condition would be longer than ${limit} characters once list '${list}' is substituted (each use of a list name copies its items)`,
  conditionTooManyItems: (list: string, limit: number) =>
    `Condition would hold more than ${limit} list items once list '${list}' is substituted (each use of a list name copies its items)`,
  conditionTooDeep: (limit: number, macro: string) =>
    `Condition nests deeper than ${limit} levels after macro expansion${macro === '' ? '' : ` (inside macro '${macro}')`}`,
  conditionTooLarge: (
    measure: 'nodes' | 'values',
    size: number,
    limit: number,
    blame: { readonly name: string; readonly amount: number } | undefined,
  ) =>
    `Condition has ${size} ${measure} after macro expansion, more than the limit of ${limit}${blame === undefined ? '' : `; macro '${blame.name}' alone stands for ${blame.amount} of them (a macro counts in full at every use)`}`,
  allConditionsTooLarge: (measure: 'nodes' | 'values', limit: number) =>
    `The rules' conditions together have more than ${limit} ${measure} after macro expansion, the limit for one load; this rule and the later ones that do not fit are not compiled`,
  didYouMean: (message: string, hint: string) => `${message} (did you mean '${hint}'?)`,
  listTooLarge: (list: string, included: string, limit: string) =>
    `List '${list}' would hold more than ${limit} once '${included}' is included; split it or include fewer lists`,
  unusedMacro: 'Macro not referred to by any other rule/macro',
  unusedList: 'List not referred to by any other rule/macro',
  listDefinedLater: (item: string, list: string, where?: { name: string; line: number }) =>
    `List item '${item}' names the list '${list}', which is defined later${where === undefined ? '' : ` (${where.name}:${where.line})`}; a list can only include lists defined before it, so the item stays the literal string '${item}' (a condition using this list may still see it replaced, since list names are substituted as text). Define '${list}' first to include its items.`,

  // Correlation and suppression (kaudit's own keys, docs/correlation.md).
  correlationUnknownKey: (key: string, what: string, allowed: readonly string[]) =>
    `Unknown key '${key}' in a ${what}. Expected: ${allowed.join(', ')}`,
  badCorrelationType: (type: string) =>
    `Invalid correlation type '${type}'. Expected one of: threshold, distinct, sequence, unordered`,
  badDuration: (text: string) =>
    `Invalid duration '${text}'. Expected whole numbers with a unit (ms, s, m, h), e.g. 30s, 10m or 1h30m`,
  windowTooLong: (text: string) => `Window '${text}' is longer than the 24h that state is kept`,
  badCount: (text: string, max: number) =>
    `Invalid count '${text}'. Expected a whole number from 1 to ${max}`,
  badTerm:
    "A term must be a field (ka.user.name), a template of fields ('%ka.target.namespace/%ka.target.name'), or a one-entry map 'label: term'",
  tooManyTerms: (key: string, max: number) => `'${key}' takes at most ${max} terms`,
  stepNotMap: 'A correlation step must be a mapping with a condition',
  badStepCount: (n: number, min: number, max: number) =>
    `A sequence needs ${min} to ${max} steps, not ${n}`,
  duplicateStep: (name: string) => `Two steps are named '${name}'`,
  stepTermsDiffer: (first: string, n: number, other: string, m: number) =>
    `Every step needs the same number of 'by' terms, compared in order: step '${first}' has ${n}, step '${other}' has ${m}`,
  termNotSingleField: (text: string) =>
    `'${text}' is not one field. Write a template with '%' to combine fields and text, e.g. '%ka.target.namespace/%ka.target.name'`,
  correlateWithCondition:
    "A correlated rule keeps its conditions under 'correlate': remove the top-level 'condition' (Falco, which does not know 'correlate', would run it as a plain rule and fire on every match)",
  suppressOnPlainRule:
    "'suppress' on a rule with a top-level 'condition' would be ignored by Falco, which would then fire every alert: add it in a separate item with 'override: {suppress: replace}' (Falco refuses that item)",
  correlateNotOnPlainRule:
    "Only a correlated rule's 'correlate' can be replaced: this rule has a top-level condition",
  conditionOfCorrelated: (kind: string) =>
    `A ${kind} rule has one condition per step under 'correlate': append exceptions, or replace 'correlate'`,
  correlationNotAppendable:
    "'correlate' and 'suppress' cannot be appended: use 'override: {<key>: replace}'",
  correlationFieldInPlainRule: (field: string) =>
    `'${field}' is only known in the output of a correlated or suppressed rule`,

  // Condition warnings (filter_warning_resolver.cpp, reworded as ours; the filter compiler).
  unsafeNaCheck:
    "Comparing a field value with <NA> is unsafe and can lead to unpredictable behavior of the rule condition. If you need to check for the existence of a field, consider using the 'exists' operator instead.",
  transformerAsString: (text: string) =>
    `'${text}' may be a valid field transformer misused as a const string value`,
  fieldAsString: (text: string) => `'${text}' may be a valid field misused as a const string value`,
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

/** A LOAD_ERR_VALIDATE error: the item is well-formed YAML but breaks a rule of the loader. */
export function validationError(message: string, ctx: Context): RuleLoadError {
  return new RuleLoadError('LOAD_ERR_VALIDATE', message, ctx);
}

/** A LOAD_ERR_YAML_VALIDATE error: the item does not have the shape a rules file needs. */
export function yamlValidationError(message: string, ctx: Context): RuleLoadError {
  return new RuleLoadError('LOAD_ERR_YAML_VALIDATE', message, ctx);
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
