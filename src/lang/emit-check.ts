import { type Code, js } from '../codegen/index.ts';
import type { FieldValue } from '../fields/field.ts';
import type { CheckExpr, Modifier, Operand } from './ast.ts';
import { literalValues } from './literal-values.ts';
import { testNumeric, toNumeric } from './numeric.ts';
import { compilePathMatcher, type OperatorSpec } from './operators.ts';
import type { OperandInfo } from './resolve.ts';
import { asciiLower } from './transformers.ts';

/** What emitCheck needs from the codegen scope. */
export interface EmitContext {
  helper(value: unknown, hint?: string): Code;
  /** Code reading an operand's FieldValue (cached for fields). */
  readOperand(op: Operand): Code;
  /** A fresh local variable. */
  temp(): Code;
}

type ListTest = (v: FieldValue, s: ReadonlySet<string>) => boolean;

const listExists = (v: FieldValue): boolean =>
  v !== undefined && (typeof v === 'string' || v.length > 0);
const allIn: ListTest = (v, s) =>
  v !== undefined && (typeof v === 'string' ? s.has(v) : v.length > 0 && v.every((x) => s.has(x)));
const someIn: ListTest = (v, s) =>
  v !== undefined && (typeof v === 'string' ? s.has(v) : v.some((x) => s.has(x)));

/**
 * Code for one check (already validated). Scalar string checks are inlined with a
 * `typeof` guard, so an absent value (undefined) is false for every operator; list
 * fields, numbers and run-time right-hand sides go through small helper functions.
 */
export function emitCheck(
  check: CheckExpr,
  spec: OperatorSpec,
  lhs: OperandInfo,
  ctx: EmitContext,
): Code {
  const read = ctx.readOperand(check.lhs);
  const rhs = check.rhs;
  if (rhs === undefined) {
    return lhs.isList
      ? js`${ctx.helper(listExists, 'exists')}(${read})`
      : js`(${read} !== undefined)`;
  }
  if (rhs.kind === 'val' || rhs.kind === 'transform') {
    const dyn = ctx.helper(dynamicTest(spec, lhs), `dyn_${spec.name}`);
    const w = ctx.readOperand(rhs.kind === 'val' ? rhs.field : rhs);
    return js`${dyn}(${read}, ${w})`;
  }
  const values = literalValues(rhs, lhs);
  if (check.modifier !== undefined) {
    const test = modifierTest(spec, lhs, check.modifier, values);
    const t = ctx.temp();
    return js`(typeof (${t} = ${read}) === 'string' && ${ctx.helper(test, check.modifier)}(${t}))`;
  }
  if (lhs.isList) {
    const set = ctx.helper(new Set(values), 'set');
    const fn = spec.name === 'in' ? allIn : someIn;
    return js`${ctx.helper(fn, spec.name)}(${read}, ${set})`;
  }
  const t = ctx.temp();
  if (lhs.numeric) {
    const nums = values.map((s) => toNumeric(s));
    const test = (v: string): boolean => {
      const a = toNumeric(v);
      return a !== undefined && nums.some((b) => b !== undefined && testNumeric(spec.name, a, b));
    };
    return js`(typeof (${t} = ${read}) === 'string' && ${ctx.helper(test, 'num')}(${t}))`;
  }
  return js`(typeof (${t} = ${read}) === 'string' && ${stringTest(spec, values, t, ctx)})`;
}

function stringTest(
  spec: OperatorSpec,
  values: readonly string[],
  t: Code,
  ctx: EmitContext,
): Code {
  const lit = values[0] ?? '';
  switch (spec.name) {
    case '=':
    case '==':
      return js`${t} === ${lit}`;
    case '!=':
      return js`${t} !== ${lit}`;
    case '<':
      return js`${t} < ${lit}`;
    case '<=':
      return js`${t} <= ${lit}`;
    case '>':
      return js`${t} > ${lit}`;
    case '>=':
      return js`${t} >= ${lit}`;
    case 'contains':
      return js`${t}.includes(${lit})`;
    case 'startswith':
      return js`${t}.startsWith(${lit})`;
    case 'endswith':
      return js`${t}.endsWith(${lit})`;
    case 'icontains':
      return js`${ctx.helper(asciiLower, 'lower')}(${t}).includes(${asciiLower(lit)})`;
    case 'in':
    case 'intersects':
      return js`${ctx.helper(new Set(values), 'set')}.has(${t})`;
    case 'pmatch':
      return js`${ctx.helper(compilePathMatcher(values), 'pmatch')}(${t})`;
    default: {
      // glob, iglob, regex: a matcher compiled once here.
      const prepared = spec.prepare(values);
      return js`${ctx.helper(prepared, spec.name)}.test(${t})`;
    }
  }
}

/** Semantics of a check whose right-hand side is only known per event (`val()`, transformers). */
export function dynamicTest(
  spec: OperatorSpec,
  lhs: OperandInfo,
): (v: FieldValue, w: FieldValue) => boolean {
  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: over the limit since before it existed; to be split (docs/architecture.md, "Complexity")
  return (v, w) => {
    if (v === undefined || w === undefined) return false;
    const ws = typeof w === 'string' ? [w] : w;
    if (lhs.numeric) {
      const a = typeof v === 'string' ? toNumeric(v) : undefined;
      if (a === undefined) return false;
      const bs = spec.rhs === 'list' ? ws : typeof w === 'string' ? [w] : [];
      return bs.some((s) => {
        const b = toNumeric(s);
        return b !== undefined && testNumeric(spec.name, a, b);
      });
    }
    if (typeof v !== 'string') {
      if (spec.name === 'in') return v.length > 0 && v.every((x) => ws.includes(x));
      if (spec.name === 'intersects') return v.some((x) => ws.includes(x));
      return false;
    }
    if (spec.name === 'pmatch') return compilePathMatcher(ws)(v);
    if (spec.rhs === 'list') return ws.includes(v);
    if (typeof w !== 'string') return false;
    try {
      return spec.test(v, spec.prepare([w]));
    } catch {
      // A per-event regex that does not compile matches nothing.
      return false;
    }
  };
}

/** `op anyof|oneof|allof (items)`: the operator against each item, combined. */
function modifierTest(
  spec: OperatorSpec,
  lhs: OperandInfo,
  modifier: Modifier,
  values: readonly string[],
): (v: string) => boolean {
  let tests: ((v: string) => boolean)[];
  if (lhs.numeric) {
    tests = values.map((s) => {
      const b = toNumeric(s);
      return (v: string) => {
        const a = toNumeric(v);
        return a !== undefined && b !== undefined && testNumeric(spec.name, a, b);
      };
    });
  } else {
    tests = values.map((s) => {
      const p = spec.prepare([s]);
      return (v: string) => spec.test(v, p);
    });
  }
  return modifier === 'allof' ? (v) => tests.every((f) => f(v)) : (v) => tests.some((f) => f(v));
}
