export {
  type FieldAvailability,
  FORMAT_FIELD_NOTES,
  type FormatCaveat,
  type FormatFieldNote,
  fieldAvailability,
  formatCaveats,
} from './availability.ts';
export {
  CORRELATION_FIELD_PREFIX,
  CORRELATION_FIELDS,
  type CorrelatedRecord,
  type CorrelationValues,
  withCorrelationFields,
} from './correlation-fields.ts';
export type {
  FieldArgSpec,
  FieldDataNeed,
  FieldDef,
  FieldGetter,
  FieldRegistry,
  FieldValue,
  TimeValueKind,
} from './field.ts';
export { FieldArgError } from './field.ts';
export { parseJsonPointer } from './json-fields.ts';
export { createFieldRegistry, createRegistryOf, defaultFieldRegistry } from './registry.ts';
export { renderValue } from './render.ts';
export { editDistance } from './suggest.ts';
export { normalizeTimeLiteral } from './time-literal.ts';
