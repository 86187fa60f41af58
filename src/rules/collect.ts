import { collectRule } from './collect-rule.ts';
import {
  decodeBool,
  decodeOverrides,
  decodeScalar,
  decodeScalarSeq,
  decodeString,
  warnUnknownKeys,
} from './decode.ts';
import { concatText, textOfScalar } from './mapped-text.ts';
import { at, type Context, ITEM, MSG, RuleLoadError } from './messages.ts';
import type { Collection, ListInfo, LoaderConfig, MacroInfo } from './model.ts';
import { requireMapItem } from './read.ts';
import { ENGINE_VERSION, formatSemVer, isCompatible, parseSemVer } from './versions.ts';
import { getValue, hasKey, type MapNode, type YamlNode } from './yaml-node.ts';

const LIST_KEYS = new Set(['list', 'items', 'append', 'override']);
const MACRO_KEYS = new Set(['macro', 'condition', 'append', 'override']);
const ITEMS_ONLY = new Set(['items']);
const CONDITION_ONLY = new Set(['condition']);
const LIST_NAME = /^[^()"'\s=,]+$/;
const MACRO_NAME = /^[a-zA-Z]+[a-zA-Z0-9_]*$/;

function validationError(message: string, ctx: Context): RuleLoadError {
  return new RuleLoadError('LOAD_ERR_VALIDATE', message, ctx);
}

function collectEngineVersion(col: Collection, item: MapNode, parent: Context): void {
  const ctx = at(parent, item, ITEM.engineVersion, '');
  const val = decodeScalar(item, 'required_engine_version', ctx, false);
  const text = val?.value ?? '';
  const version = /^\+?[0-9]+$/.test(text)
    ? { major: 0, minor: Number(text), patch: 0 }
    : parseSemVer(text);
  if (version === undefined) {
    throw new RuleLoadError(
      'LOAD_ERR_YAML_VALIDATE',
      `Unable to parse engine version '${text}' as a semver string. Expected "x.y.z" semver format.`,
      ctx,
    );
  }
  const engine = parseSemVer(ENGINE_VERSION);
  if (engine === undefined || !isCompatible(engine, version)) {
    throw validationError(
      `Rules require engine version ${formatSemVer(version)}, but engine version is ${ENGINE_VERSION}`,
      ctx,
    );
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
    throw new RuleLoadError(
      'LOAD_ERR_YAML_VALIDATE',
      'Value of required_plugin_versions must be a sequence',
      ctx,
    );
  }
  for (const plugin of reqs.items) {
    const tmp = at(ctx, plugin, ITEM.pluginVersionsEntry, '');
    if (plugin.kind !== 'map') {
      throw new RuleLoadError('LOAD_ERR_YAML_VALIDATE', 'Plugin version must be a mapping', tmp);
    }
    const name = decodeString(plugin, 'name', tmp);
    const pctx = at(ctx, plugin, ITEM.pluginVersionsEntry, name);
    const alternatives = [{ name, version: decodeString(plugin, 'version', pctx) }];
    const alts = getValue(plugin, 'alternatives');
    if (alts !== undefined) {
      if (alts.kind !== 'seq') {
        throw new RuleLoadError(
          'LOAD_ERR_YAML_VALIDATE',
          'Value of plugin version alternatives must be a sequence',
          pctx,
        );
      }
      for (const alt of alts.items) {
        const actx = at(pctx, alt, ITEM.pluginVersionsAlternative, '');
        if (alt.kind !== 'map') {
          throw new RuleLoadError(
            'LOAD_ERR_YAML_VALIDATE',
            'Plugin version alternative must be a mapping',
            actx,
          );
        }
        const altName = decodeString(alt, 'name', actx);
        const nctx = at(pctx, alt, ITEM.pluginVersionsAlternative, altName);
        alternatives.push({ name: altName, version: decodeString(alt, 'version', nctx) });
      }
    }
    const seen = new Set<string>();
    for (const req of alternatives) {
      if (parseSemVer(req.version) === undefined) {
        throw validationError(
          `Invalid required version '${req.version}' for plugin '${req.name}'`,
          pctx,
        );
      }
      if (seen.has(req.name)) {
        throw validationError(
          `Defined multiple alternative version requirements for plugin '${req.name}'`,
          pctx,
        );
      }
      seen.add(req.name);
    }
    col.plugins.push({ alternatives, ctx: pctx });
  }
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
  let append = decodeBool(item, 'append', ctx, true) === true;
  if (append) cfg.reporter.warn('LOAD_DEPRECATED_ITEM', MSG.appendDeprecated, ctx);
  const ov = decodeOverrides(item, ITEMS_ONLY, ITEMS_ONLY, ctx);
  if (append && (ov.append.size > 0 || ov.replace.size > 0)) {
    throw validationError(MSG.overrideAppend, ctx);
  }
  append ||= ov.append.has('items');
  const index = col.nextIndex++;
  const prev = col.lists.get(name);
  if (append) {
    if (prev === undefined) throw validationError(MSG.noPreviousList, ctx);
    prev.items.push(...items);
    prev.visibility = index;
    return;
  }
  const info: ListInfo = { name, items, index: prev?.index ?? index, visibility: index, ctx };
  col.lists.set(name, info);
}

function collectMacro(cfg: LoaderConfig, col: Collection, item: MapNode, parent: Context): void {
  const name = decodeString(item, 'macro', at(parent, item, ITEM.macro, ''));
  const ctx = at(parent, item, ITEM.macro, name);
  if (!MACRO_NAME.test(name)) {
    cfg.reporter.warn('LOAD_INVALID_MACRO_NAME', MSG.invalidMacroName, ctx);
  }
  warnUnknownKeys(cfg.reporter, item, MACRO_KEYS, ctx);
  const condNode = decodeScalar(item, 'condition', ctx, false);
  if (condNode === undefined) return;
  const condCtx = at(ctx, condNode, ITEM.macroCondition, '');
  let append = decodeBool(item, 'append', ctx, true) === true;
  if (append) cfg.reporter.warn('LOAD_DEPRECATED_ITEM', MSG.appendDeprecated, ctx);
  const ov = decodeOverrides(item, CONDITION_ONLY, CONDITION_ONLY, ctx);
  if (append && (ov.append.size > 0 || ov.replace.size > 0)) {
    throw validationError(MSG.overrideAppend, ctx);
  }
  append ||= ov.append.has('condition');
  const index = col.nextIndex++;
  const prev = col.macros.get(name);
  if (append) {
    if (prev === undefined) throw validationError(MSG.noPreviousMacro, ctx);
    prev.cond = concatText(prev.cond, ' ', textOfScalar(condNode));
    prev.visibility = index;
    return;
  }
  const info: MacroInfo = {
    name,
    cond: textOfScalar(condNode),
    condCtx,
    index: prev?.index ?? index,
    visibility: index,
    ctx,
  };
  col.macros.set(name, info);
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
      'Unknown top level item',
      at(parent, item, ITEM.rulesContentItem, ''),
    );
  }
}
