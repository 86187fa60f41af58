import type { AuditRecord, EventSource } from '../events/record.ts';

/**
 * A field's value as Falco renders it: scalars are strings (numbers, booleans and
 * objects as compact JSON text), list fields are string arrays. `undefined` means
 * "absent": every comparison on it is false. An empty list is normalised to `undefined`.
 */
export type FieldValue = string | readonly string[] | undefined;

/** Extracts one field (already bound to its argument) from a record. Never throws. */
export type FieldGetter = (rec: AuditRecord) => FieldValue;

/** How a field takes an argument in `field[arg]`. */
export interface FieldArgSpec {
  readonly kind: 'none' | 'key' | 'index';
  /** The argument must be present (`ka.uri.param[...]`, `jevt.value[...]`). */
  readonly required: boolean;
}

/** How a time-valued field writes its instant (FieldDef.timeValue). */
export type TimeValueKind = 'epoch-ns' | 'iso8601';

/** Which part of the audit event a field reads; drives policy coverage and lazy parsing. */
export type FieldDataNeed = 'metadata' | 'request' | 'response';

/** One field of the table, e.g. `ka.user.name`. */
export interface FieldDef {
  readonly name: string;
  /** Sources the field extracts from; `'*'` for any (json.*, jevt.*, evt.*). */
  readonly sources: readonly (EventSource | '*')[];
  /** Falco type name as listed by `rules fields` (charbuf → 'string', 'uint64', 'abstime'). */
  readonly type: 'string' | 'uint64' | 'abstime' | 'bool';
  readonly isList: boolean;
  readonly arg: FieldArgSpec;
  readonly description: string;
  readonly deprecated?: boolean;
  /** Audit level the field needs: Metadata for header fields, Request for requestObject, … */
  readonly needs: FieldDataNeed;
  /**
   * A test that reads only what a raw line's header holds (auditID, verb, objectRef's
   * resource, subresource and apiGroup): when it is false, the field is absent. The fast
   * path runs it on the header, so that a line whose body no check of the field could
   * read is never parsed (credential fields only look at some writes).
   */
  readonly presentWhen?: (event: Record<string, unknown>) => boolean;
  /**
   * The field's value is an instant, so an RFC 3339 literal on the right of a comparison
   * means that instant (docs/query.md): `epoch-ns` values are nanoseconds since the
   * epoch, `iso8601` values are the fixed-width text of evt.time.iso8601.
   */
  readonly timeValue?: TimeValueKind;
  /**
   * A list field whose `[i]` selects one item with one value (`ka.sourceips[0]`): with an
   * index it is a scalar, so `=` and the string operators apply (docs/compatibility.md).
   */
  readonly scalarAtIndex?: boolean;
  /**
   * Binds the field to its argument and returns the extractor. Called once at compile
   * time. Throws FieldArgError when the argument is missing, unexpected or malformed.
   */
  bind(arg: string | undefined): FieldGetter;
}

/** Raised by FieldDef.bind for a bad `[arg]`; the compiler turns it into a load error. */
export class FieldArgError extends Error {
  override readonly name = 'FieldArgError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Lookup of fields by name. */
export interface FieldRegistry {
  get(name: string): FieldDef | undefined;
  /** Every field, optionally only those that extract from `source`. */
  list(source?: EventSource): readonly FieldDef[];
  /** The closest known field name for a typo (edit distance), if any is close. */
  suggest(name: string): string | undefined;
}
