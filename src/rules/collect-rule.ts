import {
  decodeBool,
  decodeScalar,
  decodeString,
  decodeUint,
  decodeUpdateKeys,
  warnUnknownKeys,
} from './decode.ts';
import { plainText, textOfScalar, trimText } from './mapped-text.ts';
import { at, type Context, ITEM, MSG, validationError, yamlValidationError } from './messages.ts';
import type { Collection, LoaderConfig, RuleInfo } from './model.ts';
import { readCorrelate, readSuppress } from './read-correlation.ts';
import { readExceptions, validateException } from './read-exceptions.ts';
import { change, itemPosition } from './rule-changes.ts';
import {
  appendToRule,
  decodePriority,
  decodeTags,
  isValidEntry,
  readUpdate,
  replaceInRule,
} from './update-rule.ts';
import { getValue, hasKey, type MapNode, type ScalarNode } from './yaml-node.ts';

const RULE_KEYS = new Set([
  'rule',
  'condition',
  'output',
  'desc',
  'priority',
  'source',
  'enabled',
  'capture',
  'capture_duration',
  'warn_evttypes',
  'skip-if-unknown-filter',
  'tags',
  'exceptions',
  'override',
  'append',
  'correlate',
  'suppress',
]);
const APPENDABLE = new Set(['condition', 'output', 'desc', 'tags', 'exceptions']);
const REPLACEABLE = new Set([
  'condition',
  'output',
  'desc',
  'priority',
  'tags',
  'exceptions',
  'enabled',
  'warn_evttypes',
  'skip-if-unknown-filter',
  'capture',
  'capture_duration',
  // kaudit's own: Falco refuses to replace them ("Key 'suppress' cannot be replaced").
  'correlate',
  'suppress',
]);

function collectOverrides(
  cfg: LoaderConfig,
  col: Collection,
  name: string,
  item: MapNode,
  ov: { append: ReadonlySet<string>; replace: ReadonlySet<string> },
  ctx: Context,
): void {
  const expected = new Set([...REPLACEABLE, ...APPENDABLE].filter((k) => hasKey(item, k)));
  const take = (keys: ReadonlySet<string>, kind: string): Set<string> => {
    const out = new Set<string>();
    for (const key of keys) {
      if (!expected.has(key)) {
        throw yamlValidationError(MSG.overrideKeyUndefined(kind, key), ctx);
      }
      expected.delete(key);
      out.add(key);
    }
    return out;
  };
  if (ov.append.size > 0) {
    appendToRule(cfg, col, name, readUpdate(cfg, item, take(ov.append, 'append'), ctx), item, ctx);
  }
  if (ov.replace.size > 0) {
    replaceInRule(
      cfg,
      col,
      name,
      readUpdate(cfg, item, take(ov.replace, 'replace'), ctx),
      item,
      ctx,
    );
  }
  for (const key of expected) {
    const entry = item.entries.find((e) => e.key === key);
    throw yamlValidationError(
      MSG.overrideKeyMissing(key),
      entry === undefined ? ctx : at(ctx, entry.keyNode, ITEM.overrides, key),
    );
  }
}

// A correlated rule has no top-level condition, so Falco refuses it ("Item has no mapping
// for key 'condition'") instead of running it as a plain rule; for the same reason
// `suppress` is only accepted where Falco fails too (see docs/correlation.md).
function readCondition(
  item: MapNode,
  ctx: Context,
): Pick<RuleInfo, 'cond' | 'condCtx' | 'correlate' | 'suppress'> {
  if (hasKey(item, 'correlate')) {
    const cond = item.entries.find((e) => e.key === 'condition');
    if (cond !== undefined) {
      throw validationError(
        MSG.correlateWithCondition,
        at(ctx, cond.keyNode, ITEM.valueFor, 'condition'),
      );
    }
    const correlate = readCorrelate(item, ctx);
    return {
      cond: plainText(''),
      condCtx: correlate.ctx,
      correlate,
      ...(hasKey(item, 'suppress') ? { suppress: readSuppress(item, ctx) } : {}),
    };
  }
  const condNode = decodeScalar(item, 'condition', ctx, false) as ScalarNode;
  const suppress = item.entries.find((e) => e.key === 'suppress');
  if (suppress !== undefined) {
    throw validationError(
      MSG.suppressOnPlainRule,
      at(ctx, suppress.keyNode, ITEM.valueFor, 'suppress'),
    );
  }
  return { cond: textOfScalar(condNode), condCtx: at(ctx, condNode, ITEM.ruleCondition, '') };
}

function defineRule(
  cfg: LoaderConfig,
  col: Collection,
  name: string,
  item: MapNode,
  ctx: Context,
): void {
  const condition = readCondition(item, ctx);
  const outputNode = decodeScalar(item, 'output', ctx, false) as ScalarNode;
  const outputCtx = at(ctx, outputNode, ITEM.ruleOutput, '');
  const desc = decodeString(item, 'desc', ctx);
  const priority = decodePriority(item, ctx);
  const source = decodeScalar(item, 'source', ctx, true)?.value ?? 'syscall';
  const info: RuleInfo = {
    name,
    ...condition,
    output: trimText(textOfScalar(outputNode)),
    outputCtx,
    desc,
    priority,
    source,
    enabled: decodeBool(item, 'enabled', ctx, true) ?? true,
    warnEvttypes: decodeBool(item, 'warn_evttypes', ctx, true) ?? true,
    skipIfUnknownFilter: decodeBool(item, 'skip-if-unknown-filter', ctx, true) ?? false,
    capture: decodeBool(item, 'capture', ctx, true) ?? false,
    captureDuration: decodeUint(item, 'capture_duration', ctx, true) ?? 0,
    tags: decodeTags(item, ctx) ?? new Set(),
    exceptions: readExceptions(item, ctx, false, cfg.reporter) ?? [],
    index: 0,
    visibility: 0,
    ctx,
    firstPosition: col.rules.get(name)?.firstPosition ?? itemPosition(ctx),
    changes: [],
    unknownSource: false,
  };
  const prev = col.rules.get(name);
  if (prev !== undefined) {
    info.changes = [
      ...prev.changes,
      change(
        'redefine',
        item.entries.map((e) => e.key),
        ctx,
      ),
    ];
  }
  if (prev !== undefined && prev.source !== source) {
    throw validationError(MSG.otherSource, ctx);
  }
  const registry = cfg.sources.get(source);
  if (registry === undefined) {
    info.unknownSource = true;
    cfg.reporter.warn('LOAD_UNKNOWN_SOURCE', MSG.unknownSource(source), ctx);
  }
  for (const ex of info.exceptions) {
    if (!isValidEntry(ex)) throw validationError(MSG.exceptionItemNoFields, ex.ctx);
    validateException(ex, registry, source);
  }
  const index = col.nextIndex++;
  // Redefinition replaces every key but keeps the first definition's place in the order.
  col.rules.set(name, { ...info, index: prev?.index ?? index, visibility: index });
}

/** Reads a `rule:` item: a definition, an append/override, or a standalone `enabled`. */
export function collectRule(
  cfg: LoaderConfig,
  col: Collection,
  item: MapNode,
  parent: Context,
): void {
  const name = decodeString(item, 'rule', at(parent, item, ITEM.rule, ''));
  const ctx = at(parent, item, ITEM.rule, name);
  warnUnknownKeys(cfg.reporter, item, RULE_KEYS, ctx);
  const { append, overrides } = decodeUpdateKeys(cfg.reporter, item, APPENDABLE, REPLACEABLE, ctx);
  if (overrides.append.size > 0 || overrides.replace.size > 0) {
    collectOverrides(cfg, col, name, item, overrides, ctx);
    return;
  }
  if (append) {
    if (hasKey(item, 'correlate') || hasKey(item, 'suppress')) {
      throw validationError(MSG.correlationNotAppendable, ctx);
    }
    const keys = new Set(['condition', 'exceptions'].filter((k) => hasKey(item, k)));
    const u = readUpdate(cfg, item, keys, ctx);
    if (u.exceptions !== undefined && getValue(item, 'exceptions')?.kind === 'null') {
      delete u.exceptions;
    }
    appendToRule(cfg, col, name, u, item, ctx);
    return;
  }
  if (!['condition', 'output', 'desc', 'priority', 'correlate'].some((k) => hasKey(item, k))) {
    const enabled = decodeBool(item, 'enabled', ctx, false) ?? true;
    cfg.reporter.warn('LOAD_DEPRECATED_ITEM', MSG.enabledDeprecated, ctx);
    const prev = col.rules.get(name);
    if (prev === undefined) throw validationError(MSG.noPreviousRuleEnabled, ctx);
    prev.enabled = enabled;
    prev.changes.push(change(enabled ? 'enable' : 'disable', ['enabled'], ctx, enabled));
    return;
  }
  defineRule(cfg, col, name, item, ctx);
}
