import { decodeBool, decodeScalar, decodeScalarSeq, decodeString, decodeUint } from './decode.ts';
import { concatText, textOfScalar, trimText } from './mapped-text.ts';
import { at, type Context, ITEM, MSG, validationError, yamlValidationError } from './messages.ts';
import type { Collection, ExceptionInfo, LoaderConfig, RuleInfo } from './model.ts';
import { type Priority, parsePriority } from './priority.ts';
import {
  type CorrelateInfo,
  readCorrelate,
  readSuppress,
  type StepInfo,
  type SuppressInfo,
} from './read-correlation.ts';
import { readExceptions, validateException } from './read-exceptions.ts';
import { change } from './rule-changes.ts';
import type { RuleChange } from './types.ts';
import { getValue, type MapNode, type ScalarNode } from './yaml-node.ts';

export function decodePriority(item: MapNode, ctx: Context): Priority {
  const node = decodeScalar(item, 'priority', ctx, false) as ScalarNode;
  const p = parsePriority(node.value);
  if (p === undefined || node.value.trim() !== node.value) {
    throw yamlValidationError(MSG.invalidPriority, at(ctx, node, ITEM.rulePriority, ''));
  }
  return p;
}

export function decodeTags(item: MapNode, ctx: Context): Set<string> | undefined {
  const tags = decodeScalarSeq(item, 'tags', ctx, true);
  return tags === undefined ? undefined : new Set(tags.map((t) => t.value));
}

export function isValidEntry(ex: ExceptionInfo): boolean {
  return ex.fields !== undefined && (ex.fields.isList || ex.fields.item !== '');
}

function checkSameSource(item: MapNode, prev: RuleInfo, ctx: Context): void {
  const node = getValue(item, 'source');
  if (node?.kind !== 'scalar' || node.value === '') return;
  if (node.value !== prev.source) {
    throw validationError(MSG.otherSource, ctx);
  }
}

/**
 * The condition an update of `condition` changes: the rule's own (undefined), or the one
 * condition of a threshold or distinct rule. A sequence has one per step: refused.
 */
function correlatedCondition(prev: RuleInfo, ctx: Context): StepInfo | undefined {
  const c = prev.correlate;
  if (c === undefined) return undefined;
  if (c.kind === 'sequence' || c.kind === 'unordered') {
    throw validationError(MSG.conditionOfCorrelated(c.kind), ctx);
  }
  return c.steps[0];
}

function appendCondition(prev: RuleInfo, cond: ScalarNode, ctx: Context): void {
  const step = correlatedCondition(prev, ctx);
  if (step === undefined) prev.cond = concatText(prev.cond, ' ', textOfScalar(cond));
  else step.cond = concatText(step.cond, ' ', textOfScalar(cond));
}

// An update (append or replace) of an existing rule: the keys named under `override`, or
// condition/exceptions for legacy `append: true`.
export interface RuleUpdate {
  cond?: ScalarNode;
  output?: ScalarNode;
  desc?: string;
  tags?: Set<string>;
  exceptions?: ExceptionInfo[];
  priority?: Priority;
  enabled?: boolean;
  warnEvttypes?: boolean;
  skipIfUnknownFilter?: boolean;
  capture?: boolean;
  captureDuration?: number;
  correlate?: CorrelateInfo;
  suppress?: SuppressInfo;
}

/** The YAML key of each RuleUpdate property. */
const UPDATE_KEYS: Readonly<Record<keyof RuleUpdate, string>> = {
  cond: 'condition',
  output: 'output',
  desc: 'desc',
  tags: 'tags',
  exceptions: 'exceptions',
  priority: 'priority',
  enabled: 'enabled',
  warnEvttypes: 'warn_evttypes',
  skipIfUnknownFilter: 'skip-if-unknown-filter',
  capture: 'capture',
  captureDuration: 'capture_duration',
  correlate: 'correlate',
  suppress: 'suppress',
};

/** The keys an update sets, as written in the rules file. */
function updateKeys(u: RuleUpdate): string[] {
  return (Object.keys(u) as (keyof RuleUpdate)[])
    .filter((k) => u[k] !== undefined)
    .map((k) => UPDATE_KEYS[k]);
}

/**
 * The change an override (`replace`) makes: `enable`/`disable` when it only replaces
 * `enabled`, else `override` (with `enabled` noted when it is among the keys).
 */
function replaceChange(u: RuleUpdate, ctx: Context): RuleChange {
  const keys = updateKeys(u);
  if (keys.length === 1 && u.enabled !== undefined) {
    return change(u.enabled ? 'enable' : 'disable', keys, ctx, u.enabled);
  }
  return change('override', keys, ctx, u.enabled);
}

function hasAnyValue(u: RuleUpdate): boolean {
  return Object.values(u).some((v) => v !== undefined);
}

export function readUpdate(
  cfg: LoaderConfig,
  item: MapNode,
  keys: ReadonlySet<string>,
  ctx: Context,
): RuleUpdate {
  const u: RuleUpdate = {};
  if (keys.has('condition')) u.cond = decodeScalar(item, 'condition', ctx, false);
  if (keys.has('exceptions')) u.exceptions = readExceptions(item, ctx, true, cfg.reporter) ?? [];
  if (keys.has('output')) u.output = decodeScalar(item, 'output', ctx, false);
  if (keys.has('desc')) u.desc = decodeString(item, 'desc', ctx);
  if (keys.has('tags')) u.tags = decodeTags(item, ctx) ?? new Set();
  if (keys.has('priority')) u.priority = decodePriority(item, ctx);
  if (keys.has('enabled')) u.enabled = decodeBool(item, 'enabled', ctx, false);
  if (keys.has('warn_evttypes')) u.warnEvttypes = decodeBool(item, 'warn_evttypes', ctx, false);
  if (keys.has('skip-if-unknown-filter')) {
    u.skipIfUnknownFilter = decodeBool(item, 'skip-if-unknown-filter', ctx, false);
  }
  if (keys.has('capture')) u.capture = decodeBool(item, 'capture', ctx, false);
  if (keys.has('capture_duration')) {
    u.captureDuration = decodeUint(item, 'capture_duration', ctx, false);
  }
  if (keys.has('correlate')) u.correlate = readCorrelate(item, ctx);
  if (keys.has('suppress')) u.suppress = readSuppress(item, ctx);
  return u;
}

/** The earlier rule an append or replace applies to, checked the same way for both. */
function ruleToUpdate(
  cfg: LoaderConfig,
  col: Collection,
  name: string,
  u: RuleUpdate,
  item: MapNode,
  ctx: Context,
  messages: { readonly missing: string; readonly empty: string },
) {
  const prev = col.rules.get(name);
  if (prev === undefined) throw validationError(messages.missing, ctx);
  if (!hasAnyValue(u)) throw validationError(messages.empty, ctx);
  checkSameSource(item, prev, ctx);
  const registry = prev.unknownSource ? undefined : cfg.sources.get(prev.source);
  return { prev, registry };
}

export function appendToRule(
  cfg: LoaderConfig,
  col: Collection,
  name: string,
  u: RuleUpdate,
  item: MapNode,
  ctx: Context,
): void {
  const { prev, registry } = ruleToUpdate(cfg, col, name, u, item, ctx, {
    missing: MSG.noPreviousRuleAppend,
    empty: MSG.emptyAppend,
  });
  if (u.cond !== undefined && u.cond.value !== '') appendCondition(prev, u.cond, ctx);
  if (u.output !== undefined && u.output.value !== '') {
    prev.output = concatText(prev.output, ' ', textOfScalar(u.output));
  }
  if (u.desc !== undefined && u.desc !== '') prev.desc = `${prev.desc} ${u.desc}`;
  for (const t of u.tags ?? []) prev.tags.add(t);
  for (const ex of u.exceptions ?? []) {
    const old = prev.exceptions.find((e) => e.name === ex.name);
    if (old === undefined) {
      if (!isValidEntry(ex)) throw validationError(MSG.exceptionNoFields, ex.ctx);
      if (ex.values.length === 0) throw validationError(MSG.exceptionNoValues, ex.ctx);
      validateException(ex, registry, prev.source);
      prev.exceptions.push(ex);
    } else {
      if (ex.fields !== undefined) throw validationError(MSG.appendExceptionFields, ex.ctx);
      if (ex.comps !== undefined) throw validationError(MSG.appendExceptionComps, ex.ctx);
      old.values.push(...ex.values);
    }
  }
  prev.changes.push(change('append', updateKeys(u), ctx));
  prev.visibility = col.nextIndex++;
}

export function replaceInRule(
  cfg: LoaderConfig,
  col: Collection,
  name: string,
  u: RuleUpdate,
  item: MapNode,
  ctx: Context,
): void {
  const { prev, registry } = ruleToUpdate(cfg, col, name, u, item, ctx, {
    missing: MSG.noPreviousRuleReplace,
    empty: MSG.emptyReplace,
  });
  if (u.cond !== undefined) {
    const step = correlatedCondition(prev, ctx);
    if (step === undefined) {
      prev.cond = textOfScalar(u.cond);
      prev.condCtx = at(ctx, u.cond, ITEM.ruleCondition, '');
    } else {
      step.cond = textOfScalar(u.cond);
      step.condCtx = at(ctx, u.cond, ITEM.correlationCondition, step.name);
    }
  }
  if (u.correlate !== undefined) {
    if (prev.correlate === undefined) throw validationError(MSG.correlateNotOnPlainRule, ctx);
    prev.correlate = u.correlate;
    prev.condCtx = u.correlate.ctx;
  }
  if (u.suppress !== undefined) prev.suppress = u.suppress;
  if (u.output !== undefined) {
    prev.output = trimText(textOfScalar(u.output));
    prev.outputCtx = at(ctx, u.output, ITEM.ruleOutput, '');
  }
  if (u.desc !== undefined) prev.desc = u.desc;
  if (u.tags !== undefined) prev.tags = u.tags;
  if (u.exceptions !== undefined) {
    for (const ex of u.exceptions) {
      if (!isValidEntry(ex)) throw validationError(MSG.noMapping('fields'), ex.ctx);
      validateException(ex, registry, prev.source);
    }
    prev.exceptions = u.exceptions;
  }
  if (u.priority !== undefined) prev.priority = u.priority;
  if (u.enabled !== undefined) prev.enabled = u.enabled;
  if (u.warnEvttypes !== undefined) prev.warnEvttypes = u.warnEvttypes;
  if (u.skipIfUnknownFilter !== undefined) prev.skipIfUnknownFilter = u.skipIfUnknownFilter;
  if (u.capture !== undefined) prev.capture = u.capture;
  if (u.captureDuration !== undefined) prev.captureDuration = u.captureDuration;
  prev.changes.push(replaceChange(u, ctx));
  prev.visibility = col.nextIndex++;
}
