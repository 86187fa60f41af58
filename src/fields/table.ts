import type { AuditRecord } from '../events/record.ts';
import {
  FieldArgError,
  type FieldArgSpec,
  type FieldDataNeed,
  type FieldDef,
  type FieldGetter,
  type FieldValue,
} from './field.ts';

/**
 * Extracts a field from the event's root object (the guard has already run); `rec` is
 * there for the few fields that read the record itself (time, number, source).
 */
export type Extract = (root: Record<string, unknown>, rec: AuditRecord) => FieldValue;

/**
 * Builds an extractor from the validated argument: `key` is the `[key]` text ('' when the
 * field takes none), `index` the `[i]` number (-1 when there is none), `path` the row's
 * `path` (empty when it has none).
 */
export type ExtractorFactory = (key: string, index: number, path: readonly string[]) => Extract;

/** One row of a field table: what the field is, apart from how it is extracted. */
export interface FieldRow {
  readonly name: string;
  readonly desc: string;
  /** Extractor name in the table's extractor map. */
  readonly x: string;
  /** Key path from the event root, for the path-driven extractors (`value`, `values`, …). */
  readonly path?: readonly string[];
  /** `key`: a required `[key]`; `index`: an optional `[i]`. Default: no argument. */
  readonly arg?: 'key' | 'index';
  readonly list?: boolean;
  readonly type?: FieldDef['type'];
  readonly needs?: FieldDataNeed;
  readonly deprecated?: boolean;
  /** See FieldDef.presentWhen; the table's guard still applies. */
  readonly presentWhen?: (event: Record<string, unknown>) => boolean;
  /** See FieldDef.timeValue. */
  readonly timeValue?: FieldDef['timeValue'];
  /** See FieldDef.scalarAtIndex. */
  readonly scalarAtIndex?: boolean;
}

/** How a table's fields reach the event: the sources and the presence guard. */
export interface TableScope {
  readonly sources: FieldDef['sources'];
  /** Wraps an extractor with the table's guard (e.g. "ka.* needs auditID"). */
  readonly guard: (x: Extract) => FieldGetter;
  /** Default `needs` for a row that sets none. */
  readonly needs: (name: string) => FieldDataNeed;
}

/** A row with its own extractor `x`, plus any other row properties. */
export function rowWith(
  name: string,
  desc: string,
  x: string,
  more: Omit<Partial<FieldRow>, 'name' | 'desc' | 'x'> = {},
): FieldRow {
  return { name, desc, x, ...more };
}

/** A row rendering the scalar at `path`. */
export function rowAt(name: string, desc: string, ...path: string[]): FieldRow {
  return { name, desc, x: 'value', path };
}

/** A list row rendering each element of the array at `path`. */
export function rowListAt(name: string, desc: string, ...path: string[]): FieldRow {
  return { name, desc, x: 'values', path, list: true };
}

/** Like rowListAt, with an optional `[i]` selecting one element. */
export function rowIndexedAt(name: string, desc: string, ...path: string[]): FieldRow {
  return { name, desc, x: 'indexed', path, list: true, arg: 'index', scalarAtIndex: true };
}

const NO_ARG: FieldArgSpec = { kind: 'none', required: false };
const KEY_ARG: FieldArgSpec = { kind: 'key', required: true };
const INDEX_ARG: FieldArgSpec = { kind: 'index', required: false };
const DIGITS = /^\d+$/;

/** Turns table rows into FieldDefs; throws (at startup) when a row names no extractor. */
export function buildFieldDefs(
  rows: readonly FieldRow[],
  extractors: Readonly<Record<string, ExtractorFactory>>,
  scope: TableScope,
): FieldDef[] {
  return rows.map((row) => {
    const factory = extractors[row.x];
    if (factory === undefined) throw new Error(`field ${row.name}: no extractor '${row.x}'`);
    const path = row.path ?? [];
    const arg = row.arg === 'key' ? KEY_ARG : row.arg === 'index' ? INDEX_ARG : NO_ARG;
    const def: FieldDef = {
      name: row.name,
      sources: scope.sources,
      type: row.type ?? 'string',
      isList: row.list === true,
      arg,
      description: row.desc,
      needs: row.needs ?? scope.needs(row.name),
      bind: (text) => {
        const [key, index] = parseFieldArg(row.name, arg, text);
        return scope.guard(factory(key, index, path));
      },
    };
    const withPresence: FieldDef = {
      ...def,
      ...(row.presentWhen === undefined ? {} : { presentWhen: row.presentWhen }),
      ...(row.timeValue === undefined ? {} : { timeValue: row.timeValue }),
      ...(row.scalarAtIndex === true ? { scalarAtIndex: true } : {}),
    };
    return row.deprecated === true ? { ...withPresence, deprecated: true } : withPresence;
  });
}

/** Validates `[arg]` against the spec; returns `[key, index]` for the factory. */
export function parseFieldArg(
  name: string,
  spec: FieldArgSpec,
  text: string | undefined,
): [string, number] {
  if (spec.kind === 'none') {
    if (text !== undefined) throw new FieldArgError(name, `field '${name}' takes no argument`);
    return ['', -1];
  }
  if (text === undefined || text === '') {
    if (spec.required) throw new FieldArgError(name, `field '${name}' requires an argument`);
    return ['', -1];
  }
  if (spec.kind === 'key') return [text, -1];
  if (!DIGITS.test(text)) {
    throw new FieldArgError(name, `field '${name}' takes a non-negative integer index`);
  }
  const index = Number(text);
  // An index past any real array is just out of range; keep it a safe integer.
  return ['', Number.isSafeInteger(index) ? index : Number.MAX_SAFE_INTEGER];
}
