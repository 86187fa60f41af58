import {
  at,
  type Context,
  ITEM,
  MSG,
  type Reporter,
  validationError,
  yamlValidationError,
} from './messages.ts';
import { getValue, type MapNode, type ScalarNode } from './yaml-node.ts';

/** The scalar under `key` (reader.cpp decode_val): required unless `optional`. */
export function decodeScalar(
  item: MapNode,
  key: string,
  ctx: Context,
  optional: boolean,
): ScalarNode | undefined {
  const val = getValue(item, key);
  if (val === undefined) {
    if (optional) return undefined;
    throw yamlValidationError(MSG.noMapping(key), ctx);
  }
  if (val.kind === 'null') throw yamlValidationError(MSG.emptyMapping(key), ctx);
  const valCtx = at(ctx, val, ITEM.valueFor, key);
  if (val.kind !== 'scalar') throw yamlValidationError(MSG.notScalar, valCtx);
  if (val.value === '') throw yamlValidationError(MSG.emptyValue, valCtx);
  return val;
}

/** A required non-empty string. */
export function decodeString(item: MapNode, key: string, ctx: Context): string {
  return (decodeScalar(item, key, ctx, false) as ScalarNode).value;
}

// yaml-cpp's convert<bool> spellings.
const TRUE_WORDS = new Set([
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'true',
  'True',
  'TRUE',
  'on',
  'On',
  'ON',
]);
const FALSE_WORDS = new Set([
  'n',
  'N',
  'no',
  'No',
  'NO',
  'false',
  'False',
  'FALSE',
  'off',
  'Off',
  'OFF',
]);

/** A boolean as yaml-cpp decodes it; undefined when optional and absent. */
export function decodeBool(
  item: MapNode,
  key: string,
  ctx: Context,
  optional: boolean,
): boolean | undefined {
  const val = decodeScalar(item, key, ctx, optional);
  if (val === undefined) return undefined;
  if (TRUE_WORDS.has(val.value)) return true;
  if (FALSE_WORDS.has(val.value)) return false;
  throw yamlValidationError(MSG.undecodableScalar, at(ctx, val, ITEM.valueFor, key));
}

/** An unsigned integer as yaml-cpp decodes it (decimal digits only). */
export function decodeUint(
  item: MapNode,
  key: string,
  ctx: Context,
  optional: boolean,
): number | undefined {
  const val = decodeScalar(item, key, ctx, optional);
  if (val === undefined) return undefined;
  if (!/^\+?[0-9]+$/.test(val.value) || Number(val.value) > 0xffffffff) {
    throw yamlValidationError(MSG.undecodableScalar, at(ctx, val, ITEM.valueFor, key));
  }
  return Number(val.value);
}

/** A sequence of scalars (list `items`, rule `tags`). */
export function decodeScalarSeq(
  item: MapNode,
  key: string,
  ctx: Context,
  optional: boolean,
): ScalarNode[] | undefined {
  const val = getValue(item, key);
  if (val === undefined) {
    if (optional) return undefined;
    throw yamlValidationError(MSG.noMapping(key), ctx);
  }
  const valCtx = at(ctx, val, ITEM.valueFor, key);
  if (val.kind !== 'seq') throw yamlValidationError(MSG.notSequence, valCtx);
  const out: ScalarNode[] = [];
  for (const v of val.items) {
    if (v.kind !== 'scalar') {
      throw yamlValidationError(MSG.seqValueNotScalar, at(valCtx, v, ITEM.listItem, ''));
    }
    out.push(v);
  }
  return out;
}

/** The `override:` map split into appended and replaced keys (reader.cpp decode_overrides). */
export interface Overrides {
  readonly append: ReadonlySet<string>;
  readonly replace: ReadonlySet<string>;
}

/** Decodes `override:`, checking each key against what the item kind allows. */
export function decodeOverrides(
  item: MapNode,
  appendable: ReadonlySet<string>,
  replaceable: ReadonlySet<string>,
  ctx: Context,
): Overrides {
  const append = new Set<string>();
  const replace = new Set<string>();
  const val = getValue(item, 'override');
  if (val === undefined) return { append, replace };
  const overrideCtx = at(ctx, val, ITEM.overrides, '');
  if (val.kind !== 'map') throw yamlValidationError(MSG.notMap, overrideCtx);
  for (const entry of val.entries) {
    const key = entry.key;
    const op = entry.value.kind === 'scalar' ? entry.value.value : '';
    const keyCtx = at(overrideCtx, entry.keyNode, ITEM.overrides, key);
    if (op === 'append') {
      if (!appendable.has(key)) {
        throw yamlValidationError(MSG.cannotAppend(key), keyCtx);
      }
      append.add(key);
    } else if (op === 'replace') {
      if (!replaceable.has(key)) throw yamlValidationError(MSG.cannotReplace(key), keyCtx);
      replace.add(key);
    } else {
      throw yamlValidationError(
        MSG.invalidOverrideOp(key, op, appendable.has(key), replaceable.has(key)),
        at(overrideCtx, entry.value, ITEM.valueFor, key),
      );
    }
  }
  return { append, replace };
}

/** How an item updates an earlier one: the legacy `append: true` flag and `override:`. */
export interface UpdateKeys {
  /** `append: true`, deprecated. */
  readonly append: boolean;
  readonly overrides: Overrides;
}

/**
 * Decodes `append:` and `override:` as lists, macros and rules all do (reader.cpp): the
 * legacy flag is warned about as deprecated and cannot be combined with `override:`.
 */
export function decodeUpdateKeys(
  reporter: Reporter,
  item: MapNode,
  appendable: ReadonlySet<string>,
  replaceable: ReadonlySet<string>,
  ctx: Context,
): UpdateKeys {
  const append = decodeBool(item, 'append', ctx, true) === true;
  if (append) reporter.warn('LOAD_DEPRECATED_ITEM', MSG.appendDeprecated, ctx);
  const overrides = decodeOverrides(item, appendable, replaceable, ctx);
  if (append && (overrides.append.size > 0 || overrides.replace.size > 0)) {
    throw validationError(MSG.overrideAppend, ctx);
  }
  return { append, overrides };
}

/** Warns LOAD_UNKNOWN_KEY for each key the item kind does not know. */
export function warnUnknownKeys(
  reporter: Reporter,
  item: MapNode,
  allowed: ReadonlySet<string>,
  ctx: Context,
): void {
  for (const key of item.entries.filter((e) => !allowed.has(e.key)).map((e) => e.keyNode)) {
    const name = key.kind === 'scalar' ? key.value : '';
    reporter.warn('LOAD_UNKNOWN_KEY', MSG.unknownKey(name), at(ctx, key, ITEM.valueFor, name));
  }
}
