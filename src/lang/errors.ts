/**
 * Condition-language errors. `reason` is a stable snake_case code that tests assert;
 * `start`/`end` are offsets into the condition text.
 */
export type ConditionErrorReason =
  | 'empty_input'
  | 'unexpected_token'
  | 'unexpected_end'
  | 'unclosed_paren'
  | 'unclosed_string'
  | 'bad_escape'
  | 'expected_operator'
  | 'expected_value'
  | 'expected_blank'
  | 'unknown_field'
  | 'unknown_macro'
  | 'unknown_transformer'
  | 'missing_field_arg'
  | 'unexpected_field_arg'
  | 'bad_field_arg'
  | 'unsupported_list_operator'
  | 'unsupported_operator'
  | 'type_mismatch'
  | 'bad_regex'
  | 'too_deep';

/** A problem in one condition, located by offsets into the condition's text. */
export class ConditionError extends Error {
  override readonly name = 'ConditionError';
  constructor(
    readonly reason: ConditionErrorReason,
    message: string,
    readonly start: number,
    readonly end: number = start,
  ) {
    super(message);
  }
}

/**
 * Renders the condition with a caret line under `start..end`, the way the rules
 * loader shows errors:
 *
 *     ka.verb = create and ka.user.nam = bob
 *                          ^^^^^^^^^^^
 */
export function formatCaret(text: string, start: number, end: number = start): string {
  // Show only the line that holds `start`, so multi-line (folded YAML) conditions stay readable.
  const lineStart = text.lastIndexOf('\n', Math.max(0, start - 1)) + 1;
  const nl = text.indexOf('\n', start);
  const lineEnd = nl === -1 ? text.length : nl;
  const line = text.slice(lineStart, lineEnd);
  const col = start - lineStart;
  const width = Math.max(1, Math.min(end, lineEnd) - start);
  return `${line}\n${' '.repeat(col)}${'^'.repeat(width)}`;
}

/** A macro reference left in an expression that should have been expanded. */
export function undefinedMacroError(expr: {
  name: string;
  start: number;
  end: number;
}): ConditionError {
  return new ConditionError(
    'unknown_macro',
    `Undefined macro '${expr.name}' used in filter.`,
    expr.start,
    expr.end,
  );
}
