import type { FieldRegistry } from '../fields/field.ts';
import type { FieldRef, Operand } from './ast.ts';

/**
 * How an output field's value is written in the `output_fields` of Falco's JSON alert,
 * when it is not a string (libsinsp's `tojson`):
 * - `number`: uint64 and abstime fields (`evt.num`, `evt.rawtime`, `evt.rawtime.s`,
 *   `evt.rawtime.ns`) as JSON numbers;
 * - `bool`: bool fields (`evt.is_async`) as `true`/`false`;
 * - `time`: the text time fields (`evt.time`, `evt.time.s`, `evt.time.iso8601`,
 *   `evt.datetime`, `evt.datetime.s`) as the event time in nanoseconds;
 * - `transformed`: a transformer applied to a field (`tolower(ka.user.name)`): left out,
 *   since Falco resolves only the bare field (libsinsp's formatter skips keys with
 *   transformers unless told otherwise, and Falco does not tell it).
 */
export type JsonFieldKind = 'number' | 'bool' | 'time' | 'transformed';

/** The evt.* fields whose text is a rendering of the event time (libsinsp extract_as_js). */
const TIME_TEXT_FIELDS: ReadonlySet<string> = new Set([
  'evt.time',
  'evt.time.s',
  'evt.time.iso8601',
  'evt.datetime',
  'evt.datetime.s',
]);

/** The JSON kind of an output operand, undefined for a string (the usual case). */
export function jsonKindOf(op: Operand, registry: FieldRegistry): JsonFieldKind | undefined {
  if (op.kind === 'transform') return 'transformed';
  if (TIME_TEXT_FIELDS.has(op.name)) return 'time';
  const type = registry.get(op.name)?.type;
  if (type === 'uint64' || type === 'abstime') return 'number';
  if (type === 'bool') return 'bool';
  return undefined;
}

/** The field a (possibly nested) transformer reads: `tolower(toupper(ka.verb))` → ka.verb. */
export function innerField(op: Operand): FieldRef {
  return op.kind === 'field' ? op : innerField(op.arg);
}
