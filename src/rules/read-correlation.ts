import {
  CORRELATION_KINDS,
  CORRELATION_LIMITS,
  type CorrelationKind,
  parseDuration,
} from './correlation.ts';
import { decodeScalar, decodeString } from './decode.ts';
import { type MappedText, textOfScalar } from './mapped-text.ts';
import { at, type Context, ITEM, MSG, validationError, yamlValidationError } from './messages.ts';
import { getValue, type MapNode, type ScalarNode, type YamlNode } from './yaml-node.ts';

/** A `by`/`field` term as written: its scalar (for positions) and its label. */
export interface TermInfo {
  readonly label: string;
  readonly node: ScalarNode;
  readonly ctx: Context;
}

/** One condition of a correlated rule, as collected. */
export interface StepInfo {
  readonly name: string;
  cond: MappedText;
  condCtx: Context;
  readonly by: readonly TermInfo[];
}

/** `correlate:` as collected (compile.ts turns it into a CorrelationSpec). */
export interface CorrelateInfo {
  readonly kind: CorrelationKind;
  readonly windowMs: number;
  readonly by: readonly TermInfo[];
  readonly count: number;
  readonly field?: TermInfo;
  readonly steps: StepInfo[];
  readonly ctx: Context;
}

/** `suppress:` as collected. */
export interface SuppressInfo {
  readonly windowMs: number;
  readonly by: readonly TermInfo[];
  readonly ctx: Context;
}

const KEYS_OF: Readonly<Record<CorrelationKind, readonly string[]>> = {
  threshold: ['type', 'within', 'by', 'count', 'condition'],
  distinct: ['type', 'within', 'by', 'count', 'field', 'condition'],
  sequence: ['type', 'within', 'by', 'steps'],
  unordered: ['type', 'within', 'by', 'steps'],
};
const STEP_KEYS = ['name', 'condition', 'by'];
const SUPPRESS_KEYS = ['within', 'by'];

// Our own syntax, so an unknown key is an error rather than Falco's warning: a typo in a
// window or a count must not silently change what a rule means.
function refuseUnknownKeys(map: MapNode, allowed: readonly string[], what: string, ctx: Context) {
  for (const e of map.entries) {
    if (allowed.includes(e.key)) continue;
    throw yamlValidationError(
      MSG.correlationUnknownKey(e.key, what, allowed),
      at(ctx, e.keyNode, ITEM.valueFor, e.key),
    );
  }
}

function decodeWindow(map: MapNode, ctx: Context): number {
  const node = decodeScalar(map, 'within', ctx, false) as ScalarNode;
  const ms = parseDuration(node.value);
  const nodeCtx = at(ctx, node, ITEM.valueFor, 'within');
  if (ms === undefined) throw yamlValidationError(MSG.badDuration(node.value), nodeCtx);
  if (ms > CORRELATION_LIMITS.maxWindowMs) {
    throw validationError(MSG.windowTooLong(node.value), nodeCtx);
  }
  return ms;
}

function decodeCount(map: MapNode, ctx: Context): number {
  const node = decodeScalar(map, 'count', ctx, false) as ScalarNode;
  const n = /^\+?\d+$/.test(node.value) ? Number(node.value) : Number.NaN;
  if (!(n >= 1 && n <= CORRELATION_LIMITS.maxCount)) {
    throw yamlValidationError(
      MSG.badCount(node.value, CORRELATION_LIMITS.maxCount),
      at(ctx, node, ITEM.valueFor, 'count'),
    );
  }
  return n;
}

/** A term: a scalar, or a one-entry map `label: term`. */
function decodeTerm(node: YamlNode, ctx: Context): TermInfo {
  const termCtx = at(ctx, node, ITEM.correlationTerm, '');
  if (node.kind === 'scalar' && node.value !== '') {
    return { label: node.value, node, ctx: termCtx };
  }
  if (node.kind === 'map' && node.entries.length === 1) {
    const entry = node.entries[0] as (typeof node.entries)[number];
    if (entry.value.kind === 'scalar' && entry.value.value !== '' && entry.key !== '') {
      return {
        label: entry.key,
        node: entry.value,
        ctx: at(ctx, entry.value, ITEM.correlationTerm, entry.key),
      };
    }
  }
  throw yamlValidationError(MSG.badTerm, termCtx);
}

function decodeTerms(map: MapNode, key: string, ctx: Context): TermInfo[] {
  const val = getValue(map, key);
  if (val === undefined) return [];
  const valCtx = at(ctx, val, ITEM.valueFor, key);
  if (val.kind !== 'seq') throw yamlValidationError(MSG.notSequence, valCtx);
  if (val.items.length > CORRELATION_LIMITS.maxTerms) {
    throw validationError(MSG.tooManyTerms(key, CORRELATION_LIMITS.maxTerms), valCtx);
  }
  return val.items.map((item) => decodeTerm(item, valCtx));
}

function decodeCondition(map: MapNode, ctx: Context, name: string): StepInfo {
  const node = decodeScalar(map, 'condition', ctx, false) as ScalarNode;
  return {
    name,
    cond: textOfScalar(node),
    condCtx: at(ctx, node, ITEM.correlationCondition, name),
    by: [],
  };
}

function decodeStep(node: YamlNode, index: number, parent: Context): StepInfo {
  const ctx = at(parent, node, ITEM.correlationStep, '');
  if (node.kind !== 'map') throw yamlValidationError(MSG.stepNotMap, ctx);
  const name =
    getValue(node, 'name') === undefined ? `step${index + 1}` : decodeString(node, 'name', ctx);
  const stepCtx = at(parent, node, ITEM.correlationStep, name);
  refuseUnknownKeys(node, STEP_KEYS, 'correlation step', stepCtx);
  return { ...decodeCondition(node, stepCtx, name), by: decodeTerms(node, 'by', stepCtx) };
}

function decodeSteps(map: MapNode, ctx: Context): StepInfo[] {
  const val = getValue(map, 'steps');
  if (val === undefined) throw yamlValidationError(MSG.noMapping('steps'), ctx);
  const valCtx = at(ctx, val, ITEM.valueFor, 'steps');
  if (val.kind !== 'seq') throw yamlValidationError(MSG.notSequence, valCtx);
  const { minSteps, maxSteps } = CORRELATION_LIMITS;
  if (val.items.length < minSteps || val.items.length > maxSteps) {
    throw validationError(MSG.badStepCount(val.items.length, minSteps, maxSteps), valCtx);
  }
  const steps = val.items.map((item, i) => decodeStep(item, i, valCtx));
  const names = new Set<string>();
  for (const s of steps) {
    if (names.has(s.name)) throw validationError(MSG.duplicateStep(s.name), s.condCtx);
    names.add(s.name);
    const first = steps[0] as StepInfo;
    if (s.by.length !== first.by.length) {
      throw validationError(
        MSG.stepTermsDiffer(first.name, first.by.length, s.name, s.by.length),
        s.condCtx,
      );
    }
  }
  return steps;
}

/**
 * Reads a rule's `correlate:` map: its type, window, group terms and condition(s).
 * Throws RuleLoadError with the position of the first problem.
 */
export function readCorrelate(item: MapNode, parent: Context): CorrelateInfo {
  const val = getValue(item, 'correlate') as YamlNode;
  const ctx = at(parent, val, ITEM.ruleCorrelation, '');
  if (val.kind !== 'map') throw yamlValidationError(MSG.notMap, ctx);
  const typeNode = decodeScalar(val, 'type', ctx, false) as ScalarNode;
  const kind = CORRELATION_KINDS.find((k) => k === typeNode.value);
  if (kind === undefined) {
    throw yamlValidationError(
      MSG.badCorrelationType(typeNode.value),
      at(ctx, typeNode, ITEM.valueFor, 'type'),
    );
  }
  refuseUnknownKeys(val, KEYS_OF[kind], `${kind} correlation`, ctx);
  const windowMs = decodeWindow(val, ctx);
  const by = decodeTerms(val, 'by', ctx);
  if (kind === 'sequence' || kind === 'unordered') {
    const steps = decodeSteps(val, ctx);
    return { kind, windowMs, by, count: steps.length, steps, ctx };
  }
  const count = decodeCount(val, ctx);
  const steps = [decodeCondition(val, ctx, 'condition')];
  if (kind === 'threshold') return { kind, windowMs, by, count, steps, ctx };
  const fieldNode = getValue(val, 'field');
  if (fieldNode === undefined) throw yamlValidationError(MSG.noMapping('field'), ctx);
  return { kind, windowMs, by, count, field: decodeTerm(fieldNode, ctx), steps, ctx };
}

/** Reads a rule's `suppress:` map. */
export function readSuppress(item: MapNode, parent: Context): SuppressInfo {
  const val = getValue(item, 'suppress') as YamlNode;
  const ctx = at(parent, val, ITEM.ruleSuppression, '');
  if (val.kind !== 'map') throw yamlValidationError(MSG.notMap, ctx);
  refuseUnknownKeys(val, SUPPRESS_KEYS, 'suppression', ctx);
  return { windowMs: decodeWindow(val, ctx), by: decodeTerms(val, 'by', ctx), ctx };
}
