import type { EventSource } from '../events/record.ts';
import {
  FieldArgError,
  type FieldDef,
  type FieldGetter,
  type FieldRegistry,
  type TimeValueKind,
} from '../fields/field.ts';
import type { FieldRef, Operand } from './ast.ts';
import { ConditionError } from './errors.ts';
import { isTransformerName } from './transformers.ts';

/** What the checker, compiler and interpreter need to know about fields. */
export interface CheckEnv {
  readonly registry: FieldRegistry;
  readonly source: EventSource;
}

/** Static shape of an operand's value. */
export interface OperandInfo {
  readonly isList: boolean;
  /** uint64 values (len(), numeric fields) compare as numbers. */
  readonly numeric: boolean;
  /** A time-valued field: RFC 3339 literals compare as instants (normalizeTimeLiteral). */
  readonly time?: TimeValueKind;
}

/** Finds the field for `ref` in the registry, for this source; throws unknown_field. */
export function lookupField(ref: FieldRef, env: CheckEnv): FieldDef {
  const def = env.registry.get(ref.name);
  if (def === undefined || !(def.sources.includes('*') || def.sources.includes(env.source))) {
    const hint = def === undefined ? env.registry.suggest(ref.name) : undefined;
    const where = def === undefined ? '' : ` for source '${env.source}'`;
    const tail = hint === undefined ? '' : `, did you mean '${hint}'?`;
    throw new ConditionError(
      'unknown_field',
      `unknown field '${ref.name}'${where}${tail}`,
      ref.start,
      ref.start + ref.name.length,
    );
  }
  return def;
}

/** Looks the field up, validates its `[arg]` and binds the extractor. */
export function bindField(ref: FieldRef, env: CheckEnv): { def: FieldDef; get: FieldGetter } {
  const def = lookupField(ref, env);
  if (ref.arg === undefined && def.arg.required) {
    throw new ConditionError(
      'missing_field_arg',
      `field '${ref.name}' requires an argument`,
      ref.start,
      ref.end,
    );
  }
  if (ref.arg !== undefined && def.arg.kind === 'none') {
    throw new ConditionError(
      'unexpected_field_arg',
      `field '${ref.name}' does not take an argument`,
      ref.start,
      ref.end,
    );
  }
  if (ref.arg !== undefined && def.arg.kind === 'index' && !/^\d+$/.test(ref.arg)) {
    throw new ConditionError(
      'bad_field_arg',
      `field '${ref.name}' takes a numeric index, not '${ref.arg}'`,
      ref.start,
      ref.end,
    );
  }
  try {
    const get = def.bind(ref.arg);
    return { def, get: isIndexedScalar(def, ref) ? scalarOf(get) : get };
  } catch (e) {
    if (!(e instanceof FieldArgError)) throw e;
    throw new ConditionError('bad_field_arg', e.message, ref.start, ref.end);
  }
}

/** `ka.sourceips[0]`: an index narrows such a list to one value (FieldDef.scalarAtIndex). */
function isIndexedScalar(def: FieldDef, ref: FieldRef): boolean {
  return def.scalarAtIndex === true && ref.arg !== undefined;
}

/** The one value of a list that `[i]` narrowed to one item, as a scalar. */
function scalarOf(get: FieldGetter): FieldGetter {
  return (rec) => {
    const v = get(rec);
    return v === undefined || typeof v === 'string' ? v : v[0];
  };
}

/** Resolves an operand's shape, validating fields and transformers; throws ConditionError. */
export function resolveOperand(op: Operand, env: CheckEnv): OperandInfo {
  if (op.kind === 'field') {
    const { def } = bindField(op, env);
    const isList = def.isList && !isIndexedScalar(def, op);
    const numeric = def.type === 'uint64' || def.type === 'abstime';
    return def.timeValue === undefined
      ? { isList, numeric }
      : { isList, numeric, time: def.timeValue };
  }
  if (!isTransformerName(op.name)) {
    throw new ConditionError(
      'unknown_transformer',
      `unknown transformer '${String(op.name)}'`,
      op.start,
      op.end,
    );
  }
  const inner = resolveOperand(op.arg, env);
  if (op.name === 'len') return { isList: false, numeric: true };
  if (inner.numeric) {
    throw new ConditionError(
      'type_mismatch',
      `transformer '${op.name}' needs a string, got a number`,
      op.start,
      op.end,
    );
  }
  return inner;
}
