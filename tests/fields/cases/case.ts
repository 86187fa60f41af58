import type { AuditRecord } from '../../../src/events/record.ts';
import type { FieldValue } from '../../../src/fields/field.ts';

/** One expected field value on one event. */
export interface FieldCase {
  readonly field: string;
  readonly arg?: string;
  readonly rec: AuditRecord;
  readonly want: FieldValue;
  /** What the case shows, for the test title. */
  readonly why: string;
}

/** Builds cases for one event: `[field, arg, want, why]` rows. */
export function casesOn(
  rec: AuditRecord,
  rows: readonly (readonly [string, string | undefined, FieldValue, string])[],
): FieldCase[] {
  return rows.map(([field, arg, want, why]) =>
    arg === undefined ? { field, rec, want, why } : { field, arg, rec, want, why },
  );
}
