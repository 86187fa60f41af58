import type { FieldRegistry } from '../fields/field.ts';
import { decodeScalar } from './decode.ts';
import {
  at,
  type Context,
  ITEM,
  MSG,
  type Reporter,
  validationError,
  yamlValidationError,
} from './messages.ts';
import type { ExceptionEntry, ExceptionInfo } from './model.ts';
import { getValue, type MapNode, type YamlNode } from './yaml-node.ts';

/** libsinsp's supported_operators(), and the ones that take a list on the right. */
export const CHECK_OPERATORS: ReadonlySet<string> = new Set([
  '==',
  '=',
  '!=',
  '<=',
  '>=',
  '<',
  '>',
  'contains',
  'icontains',
  'bcontains',
  'glob',
  'iglob',
  'bstartswith',
  'startswith',
  'endswith',
  'in',
  'intersects',
  'pmatch',
  'exists',
  'regex',
]);
export const LIST_OPERATORS: ReadonlySet<string> = new Set(['in', 'intersects', 'pmatch']);

// `startswith oneof`, `= anyof`, `contains allof` …: a string operator with a modifier
// takes a list, like `in` (libs HEAD; Falco prints them with one space between).
const MODIFIER_COMP = /^(\S+)\s+(oneof|anyof|allof)$/;
const NOT_MODIFIABLE = new Set(['in', 'intersects', 'pmatch', 'exists', '<', '<=', '>', '>=']);

/** `startswith   oneof` → `startswith oneof`, ` contains ` → `contains`. */
export function normalizeComp(comp: string): string {
  const t = comp.trim();
  const m = MODIFIER_COMP.exec(t);
  return m ? `${m[1]} ${m[2]}` : t;
}

/** Whether an exception comp takes a list value (`in`, `pmatch`, a modifier op …). */
export function isListComp(comp: string): boolean {
  return LIST_OPERATORS.has(comp) || MODIFIER_COMP.test(comp);
}

function isSupportedComp(comp: string): boolean {
  const m = MODIFIER_COMP.exec(comp);
  if (m) return CHECK_OPERATORS.has(m[1] as string) && !NOT_MODIFIABLE.has(m[1] as string);
  return CHECK_OPERATORS.has(comp);
}

const TRANSFORMER = /^\s*(tolower|toupper|b64|basename|len)\s*\((.*)\)\s*$/;

/** Whether `field` (possibly `f[arg]` or wrapped in transformers) exists for `source`. */
export function isFieldDefined(registry: FieldRegistry, source: string, field: string): boolean {
  let name = field.trim();
  for (let m = TRANSFORMER.exec(name); m !== null; m = TRANSFORMER.exec(name)) {
    name = (m[2] ?? '').trim();
  }
  const bracket = name.indexOf('[');
  if (bracket !== -1) name = name.slice(0, bracket);
  const def = registry.get(name);
  if (def === undefined) return false;
  return def.sources.some((s) => s === '*' || s === source);
}

// reader.cpp decode_exception_info_entry
function decodeEntry(val: YamlNode, key: string, ctx: Context): ExceptionEntry {
  const valCtx = at(ctx, val, ITEM.valueFor, key);
  if (val.kind === 'scalar') {
    if (val.value === '') throw yamlValidationError(MSG.emptyValue, valCtx);
    return { isList: false, item: val.value, items: [], node: val };
  }
  if (val.kind === 'seq') {
    const items = val.items.map((v) => decodeEntry(v, '', at(valCtx, v, ITEM.exception, '')));
    return { isList: true, item: '', items, node: val };
  }
  // yaml-cpp leaves a null/map entry undecoded: neither a string nor a list.
  return { isList: false, item: '', items: [], node: val };
}

/**
 * Reads a rule's `exceptions:` (reader.cpp read_rule_exceptions). `append` relaxes the
 * required `fields` and warns about entries without values.
 */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: over the limit since before it existed; to be split (docs/architecture.md, "Complexity")
export function readExceptions(
  item: MapNode,
  parent: Context,
  append: boolean,
  reporter: Reporter,
): ExceptionInfo[] | undefined {
  const exs = getValue(item, 'exceptions');
  if (exs === undefined || exs.kind === 'null') return undefined;
  const exsCtx = at(parent, exs, ITEM.exceptions, '');
  if (exs.kind !== 'seq') throw yamlValidationError(MSG.exceptionsNotSeq, exsCtx);
  const out: ExceptionInfo[] = [];
  for (const ex of exs.items) {
    const tmp = at(exsCtx, ex, ITEM.exception, '');
    if (ex.kind !== 'map') throw yamlValidationError(MSG.exceptionNotMap, tmp);
    const name = decodeScalar(ex, 'name', tmp, false)?.value ?? '';
    const ctx = at(parent, ex, ITEM.exception, name);
    if (out.some((e) => e.name === name)) {
      reporter.warn('LOAD_EXCEPTION_NAME_NOT_UNIQUE', MSG.duplicateException(name), ctx);
    }
    const fieldsNode = getValue(ex, 'fields');
    if (fieldsNode === undefined && !append) {
      throw yamlValidationError(MSG.noMapping('fields'), ctx);
    }
    const compsNode = getValue(ex, 'comps');
    const valuesNode = getValue(ex, 'values');
    const values: ExceptionEntry[] = [];
    if (valuesNode !== undefined) {
      const valsCtx = at(ctx, valuesNode, ITEM.exceptionValues, '');
      if (valuesNode.kind !== 'seq') throw yamlValidationError(MSG.exceptionValuesNotSeq, valsCtx);
      for (const v of valuesNode.items) {
        values.push(decodeEntry(v, '', at(valsCtx, v, ITEM.exceptionValue, '')));
      }
    } else if (append) {
      reporter.warn('LOAD_APPEND_NO_VALUES', MSG.exceptionNoValuesAppended, ctx);
    }
    out.push({
      name,
      ...(fieldsNode === undefined ? {} : { fields: decodeEntry(fieldsNode, 'fields', ctx) }),
      ...(compsNode === undefined ? {} : { comps: decodeEntry(compsNode, 'comps', ctx) }),
      values,
      ctx,
    });
  }
  return out;
}

/**
 * collector.cpp validate_exception_info: fills default comps and checks operators and
 * fields. `registry` is undefined for rules of a source we do not run.
 */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: over the limit since before it existed; to be split (docs/architecture.md, "Complexity")
export function validateException(
  ex: ExceptionInfo,
  registry: FieldRegistry | undefined,
  source: string,
): void {
  const fields = ex.fields;
  if (fields === undefined) return;
  if (fields.isList) {
    if (ex.comps === undefined) {
      const items = fields.items.map(
        (f): ExceptionEntry => ({ isList: false, item: '=', items: [], node: f.node }),
      );
      ex.comps = { isList: true, item: '', items, node: fields.node };
    }
    if (fields.items.length !== ex.comps.items.length) {
      throw validationError(MSG.compsLength, ex.ctx);
    }
    ex.comps = {
      ...ex.comps,
      items: ex.comps.items.map((c) => ({ ...c, item: normalizeComp(c.item) })),
    };
    for (const c of ex.comps.items) {
      if (!isSupportedComp(c.item)) {
        throw validationError(MSG.unsupportedComp(c.item), ex.ctx);
      }
    }
    if (registry !== undefined) {
      for (const f of fields.items) {
        if (!isFieldDefined(registry, source, f.item)) {
          throw validationError(MSG.unsupportedField(f.item), ex.ctx);
        }
      }
    }
    return;
  }
  if (ex.comps === undefined)
    ex.comps = { isList: false, item: 'in', items: [], node: fields.node };
  if (ex.comps.isList) throw validationError(MSG.compsNotStrings, ex.ctx);
  ex.comps = { ...ex.comps, item: normalizeComp(ex.comps.item) };
  if (!isListComp(ex.comps.item) || !isSupportedComp(ex.comps.item)) {
    throw validationError(MSG.singleFieldComp, ex.ctx);
  }
  if (registry !== undefined && !isFieldDefined(registry, source, fields.item)) {
    throw validationError(MSG.unsupportedField(fields.item), ex.ctx);
  }
}
