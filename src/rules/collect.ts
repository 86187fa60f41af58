import { collectRule } from './collect-rule.ts';
import {
  decodeScalar,
  decodeScalarSeq,
  decodeString,
  decodeUpdateKeys,
  warnUnknownKeys,
} from './decode.ts';
import { concatText, textOfScalar } from './mapped-text.ts';
import { at, type Context, ITEM, MSG, validationError, yamlValidationError } from './messages.ts';
import type { Collection, ListInfo, LoaderConfig, MacroInfo } from './model.ts';
import { requireMapItem } from './read.ts';
import { ENGINE_VERSION, formatSemVer, isCompatible, parseSemVer } from './versions.ts';
import { getValue, hasKey, type MapNode, type ScalarNode, type YamlNode } from './yaml-node.ts';

const LIST_KEYS = new Set(['list', 'items', 'append', 'override']);
const MACRO_KEYS = new Set(['macro', 'condition', 'append', 'override']);
const LIST_NAME = /^[^()"'\s=,]+$/;
const MACRO_NAME = /^[a-zA-Z]+[a-zA-Z0-9_]*$/;

function collectEngineVersion(col: Collection, item: MapNode, parent: Context): void {
  const ctx = at(parent, item, ITEM.engineVersion, '');
  const val = decodeScalar(item, 'required_engine_version', ctx, false);
  const text = val?.value ?? '';
  const version = /^\+?[0-9]+$/.test(text)
    ? { major: 0, minor: Number(text), patch: 0 }
    : parseSemVer(text);
  if (version === undefined) {
    throw yamlValidationError(MSG.badEngineVersion(text), ctx);
  }
  const engine = parseSemVer(ENGINE_VERSION);
  if (engine === undefined || !isCompatible(engine, version)) {
    throw validationError(MSG.engineTooOld(formatSemVer(version), ENGINE_VERSION), ctx);
  }
  const prev = col.requiredEngineVersion;
  if (
    prev === undefined ||
    version.major > prev.major ||
    (version.major === prev.major &&
      (version.minor > prev.minor || (version.minor === prev.minor && version.patch > prev.patch)))
  ) {
    col.requiredEngineVersion = version;
  }
}

function collectPluginVersions(col: Collection, item: MapNode, parent: Context): void {
  const reqs = getValue(item, 'required_plugin_versions') as YamlNode;
  const ctx = at(parent, reqs, ITEM.pluginVersions, '');
  if (reqs.kind !== 'seq') {
    throw yamlValidationError(MSG.pluginVersionsNotSeq, ctx);
  }
  for (const plugin of reqs.items) {
    const tmp = at(ctx, plugin, ITEM.pluginVersionsEntry, '');
    if (plugin.kind !== 'map') {
      throw yamlValidationError(MSG.pluginVersionNotMap, tmp);
    }
    const name = decodeString(plugin, 'name', tmp);
    const pctx = at(ctx, plugin, ITEM.pluginVersionsEntry, name);
    const alternatives = [{ name, version: decodeString(plugin, 'version', pctx) }];
    const alts = getValue(plugin, 'alternatives');
    if (alts !== undefined) {
      if (alts.kind !== 'seq') {
        throw yamlValidationError(MSG.alternativesNotSeq, pctx);
      }
      for (const alt of alts.items) {
        const actx = at(pctx, alt, ITEM.pluginVersionsAlternative, '');
        if (alt.kind !== 'map') {
          throw yamlValidationError(MSG.alternativeNotMap, actx);
        }
        const altName = decodeString(alt, 'name', actx);
        const nctx = at(pctx, alt, ITEM.pluginVersionsAlternative, altName);
        alternatives.push({ name: altName, version: decodeString(alt, 'version', nctx) });
      }
    }
    const seen = new Set<string>();
    for (const req of alternatives) {
      if (parseSemVer(req.version) === undefined) {
        throw validationError(MSG.invalidRequiredVersion(req.version, req.name), pctx);
      }
      if (seen.has(req.name)) {
        throw validationError(MSG.duplicateAlternative(req.name), pctx);
      }
      seen.add(req.name);
    }
    col.plugins.push({ alternatives, ctx: pctx });
  }
}

// Lists and macros are updated alike (collector.cpp define/append): `append: true` or
// `override: {<key>: append}` extends the earlier item of that name and makes it see the
// items defined since; otherwise the item is (re)defined, keeping the first definition's
// place in the order.
function defineOrAppend<T extends { readonly index: number; visibility: number }>(
  cfg: LoaderConfig,
  col: Collection,
  item: MapNode,
  ctx: Context,
  how: {
    readonly key: 'items' | 'condition';
    readonly known: Map<string, T>;
    readonly name: string;
    readonly noPrevious: string;
    readonly append: (prev: T) => void;
    readonly define: (index: number, visibility: number) => T;
  },
): void {
  const keys = new Set([how.key]);
  const { append, overrides } = decodeUpdateKeys(cfg.reporter, item, keys, keys, ctx);
  const index = col.nextIndex++;
  const prev = how.known.get(how.name);
  if (append || overrides.append.has(how.key)) {
    if (prev === undefined) throw validationError(how.noPrevious, ctx);
    how.append(prev);
    prev.visibility = index;
    return;
  }
  how.known.set(how.name, how.define(prev?.index ?? index, index));
}

function collectList(cfg: LoaderConfig, col: Collection, item: MapNode, parent: Context): void {
  const name = decodeString(item, 'list', at(parent, item, ITEM.list, ''));
  const ctx = at(parent, item, ITEM.list, name);
  if (!LIST_NAME.test(name)) cfg.reporter.warn('LOAD_INVALID_LIST_NAME', MSG.invalidListName, ctx);
  warnUnknownKeys(cfg.reporter, item, LIST_KEYS, ctx);
  const items = (decodeScalarSeq(item, 'items', ctx, false) ?? []).map((node) => ({
    value: node.value,
    node,
  }));
  defineOrAppend<ListInfo>(cfg, col, item, ctx, {
    key: 'items',
    known: col.lists,
    name,
    noPrevious: MSG.noPreviousList,
    append: (prev) => prev.items.push(...items),
    define: (index, visibility) => ({ name, items, index, visibility, ctx }),
  });
}

function collectMacro(cfg: LoaderConfig, col: Collection, item: MapNode, parent: Context): void {
  const name = decodeString(item, 'macro', at(parent, item, ITEM.macro, ''));
  const ctx = at(parent, item, ITEM.macro, name);
  if (!MACRO_NAME.test(name)) {
    cfg.reporter.warn('LOAD_INVALID_MACRO_NAME', MSG.invalidMacroName, ctx);
  }
  warnUnknownKeys(cfg.reporter, item, MACRO_KEYS, ctx);
  const condNode = decodeScalar(item, 'condition', ctx, false) as ScalarNode;
  const condCtx = at(ctx, condNode, ITEM.macroCondition, '');
  defineOrAppend<MacroInfo>(cfg, col, item, ctx, {
    key: 'condition',
    known: col.macros,
    name,
    noPrevious: MSG.noPreviousMacro,
    append: (prev) => {
      prev.cond = concatText(prev.cond, ' ', textOfScalar(condNode));
    },
    define: (index, visibility) => ({
      name,
      cond: textOfScalar(condNode),
      condCtx,
      index,
      visibility,
      ctx,
    }),
  });
}

/**
 * Reads one top-level item into the collection (reader.cpp read_item + collector.cpp).
 * Throws RuleLoadError on the first problem, which ends the file as in Falco.
 */
export function collectItem(
  cfg: LoaderConfig,
  col: Collection,
  item: YamlNode,
  parent: Context,
): void {
  requireMapItem(item, parent);
  const map = item as MapNode;
  if (hasKey(map, 'required_engine_version')) collectEngineVersion(col, map, parent);
  else if (hasKey(map, 'required_plugin_versions')) collectPluginVersions(col, map, parent);
  else if (hasKey(map, 'list')) collectList(cfg, col, map, parent);
  else if (hasKey(map, 'macro')) collectMacro(cfg, col, map, parent);
  else if (hasKey(map, 'rule')) collectRule(cfg, col, map, parent);
  else {
    cfg.reporter.warn(
      'LOAD_UNKNOWN_ITEM',
      MSG.unknownItem,
      at(parent, item, ITEM.rulesContentItem, ''),
    );
  }
}
