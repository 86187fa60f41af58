import { at, type Context, ITEM, type Reporter, RuleLoadError } from './messages.ts';
import { getValue, type MapNode, type ScalarNode } from './yaml-node.ts';

function invalid(message: string, context: Context): RuleLoadError {
  return new RuleLoadError('LOAD_ERR_YAML_VALIDATE', message, context);
}

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
    throw invalid(`Item has no mapping for key '${key}'`, ctx);
  }
  if (val.kind === 'null') throw invalid(`Mapping for key '${key}' is empty`, ctx);
  const valCtx = at(ctx, val, ITEM.valueFor, key);
  if (val.kind !== 'scalar') throw invalid('Value is not a scalar value', valCtx);
  if (val.value === '') throw invalid('Value must be non-empty', valCtx);
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
  throw invalid("Can't decode YAML scalar value", at(ctx, val, ITEM.valueFor, key));
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
    throw invalid("Can't decode YAML scalar value", at(ctx, val, ITEM.valueFor, key));
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
    throw invalid(`Item has no mapping for key '${key}'`, ctx);
  }
  const valCtx = at(ctx, val, ITEM.valueFor, key);
  if (val.kind !== 'seq') throw invalid('Value is not a sequence', valCtx);
  const out: ScalarNode[] = [];
  for (const v of val.items) {
    if (v.kind !== 'scalar') {
      throw invalid('sequence value is not scalar', at(valCtx, v, ITEM.listItem, ''));
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
  if (val.kind !== 'map') throw invalid('Value is not a map', overrideCtx);
  for (const entry of val.entries) {
    const key = entry.key;
    const op = entry.value.kind === 'scalar' ? entry.value.value : '';
    const keyCtx = at(overrideCtx, entry.keyNode, ITEM.overrides, key);
    if (op === 'append') {
      if (!appendable.has(key)) {
        throw invalid(`Key '${key}' cannot be appended to, use 'replace' instead`, keyCtx);
      }
      append.add(key);
    } else if (op === 'replace') {
      if (!replaceable.has(key)) throw invalid(`Key '${key}' cannot be replaced`, keyCtx);
      replace.add(key);
    } else {
      const allowed = `${appendable.has(key) ? 'append ' : ''}${replaceable.has(key) ? 'replace ' : ''}`;
      throw invalid(
        `Invalid override operation for key '${key}': '${op}'. Allowed values are: ${allowed}`,
        at(overrideCtx, entry.value, ITEM.valueFor, key),
      );
    }
  }
  return { append, replace };
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
    reporter.warn(
      'LOAD_UNKNOWN_KEY',
      `Unknown key '${name}'. The key will be ignored.`,
      at(ctx, key, ITEM.valueFor, name),
    );
  }
}
