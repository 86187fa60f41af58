import type { AuditRecord } from '../events/record.ts';
import { scanRequestObject } from '../fields/credentials/index.ts';
import type { FieldValue } from '../fields/field.ts';
import type { CheckExpr, Expr, Operand } from './ast.ts';
import type { CompileEnv } from './compile.ts';
import { evalOperand, interpretCheck } from './interpret.ts';
import { printExpr, printOperand } from './print.ts';

/** A part's value on the event; `not_evaluated` when `and`/`or` stopped before it. */
export type PartResult = 'true' | 'false' | 'not_evaluated';

/**
 * A value a check read: a string, a list of strings, or null when the field is missing.
 * Objects from the request or response body (configmap data, a whole requestObject) are
 * not copied: credentials live there, and alerts carrying explanations are stored and
 * sent on. `withheld` gives their length instead.
 */
export interface ExplainedField {
  /** The operand as written: `ka.user.name`, `ka.uri.param[command]`, `tolower(ka.user.name)`. */
  readonly field: string;
  readonly value?: string | readonly string[] | null;
  /** The value was cut to EXPLAIN_LIMITS (an event's values can be large). */
  readonly truncated?: true;
  /**
   * Length in characters of a value from the request or response body that is not shown
   * (then `value` is absent): an object, or text holding a credential.
   */
  readonly withheld?: number;
  /** The kinds of credential the withheld text holds (as `ka.req.credentials.kinds` names them). */
  readonly credentials?: readonly string[];
}

/** One part of a condition, evaluated on one event, with where it came from. */
export interface ExplainedNode {
  readonly kind: 'and' | 'or' | 'not' | 'check';
  readonly result: PartResult;
  /** A check as written, with substituted lists shown by name. */
  readonly text?: string;
  /** This part is the condition of these macros, outermost first. */
  readonly macros?: readonly string[];
  /** This part is the clause the named exception added. */
  readonly exception?: string;
  /** The `list:` items a check's list came from. */
  readonly lists?: readonly string[];
  /** What an evaluated check read. */
  readonly fields?: readonly ExplainedField[];
  /** The list items that matched, when a check against a list held. */
  readonly matched?: readonly string[];
  /** `and`/`or` operands, or the one operand of `not`. */
  readonly children?: readonly ExplainedNode[];
}

/** Bounds on what an explanation copies out of an event (field values are attacker text). */
export const EXPLAIN_LIMITS = { chars: 256, items: 20, matched: 10 } as const;

/**
 * Evaluates `expr` on `rec` as the engine does (left to right, `and`/`or` stopping at the
 * first part that decides) and records every part's value, the fields each check read,
 * and the macro, list or exception each part came from. The root's result is the
 * condition's value: it equals interpretCondition's and the compiled condition's.
 *
 * @example explainCondition(rule.condition, record, { registry, source: 'k8s_audit' }).result
 */
export function explainCondition(expr: Expr, rec: AuditRecord, env: CompileEnv): ExplainedNode {
  return explainNode(expr, rec, env, true);
}

function origin(e: Expr): Pick<ExplainedNode, 'macros' | 'exception'> {
  return {
    ...(e.macros === undefined ? {} : { macros: e.macros }),
    ...(e.exception === undefined ? {} : { exception: e.exception }),
  };
}

function explainNode(e: Expr, rec: AuditRecord, env: CompileEnv, run: boolean): ExplainedNode {
  switch (e.kind) {
    case 'and':
    case 'or': {
      // `and` stops at the first false part, `or` at the first true one.
      const stopOn = e.kind === 'and' ? 'false' : 'true';
      let decided = false;
      const children = e.children.map((c) => {
        const child = explainNode(c, rec, env, run && !decided);
        if (child.result === stopOn) decided = true;
        return child;
      });
      const result = !run ? 'not_evaluated' : decided === (e.kind === 'or') ? 'true' : 'false';
      return { kind: e.kind, result, ...origin(e), children };
    }
    case 'not': {
      const child = explainNode(e.child, rec, env, run);
      const result = !run ? 'not_evaluated' : child.result === 'true' ? 'false' : 'true';
      return { kind: 'not', result, ...origin(e), children: [child] };
    }
    case 'macro':
      // Loaded rules have no macro references left; an unexpanded one matches nothing.
      return { kind: 'check', result: run ? 'false' : 'not_evaluated', text: e.name, ...origin(e) };
    case 'check':
      return explainCheck(e, rec, env, run);
  }
}

function explainCheck(
  c: CheckExpr,
  rec: AuditRecord,
  env: CompileEnv,
  run: boolean,
): ExplainedNode {
  const lists = c.rhs?.kind === 'list' ? c.rhs.lists : undefined;
  const base = {
    kind: 'check' as const,
    text: printExpr(c, { listNames: true }),
    ...origin(c),
    ...(lists === undefined ? {} : { lists }),
  };
  if (!run) return { ...base, result: 'not_evaluated' };
  const held = interpretCheck(c, rec, env);
  const fields = [...readOperand(c.lhs, rec, env)];
  if (c.rhs?.kind === 'val') fields.push(...readOperand(c.rhs.field, rec, env));
  else if (c.rhs?.kind === 'transform') fields.push(...readOperand(c.rhs, rec, env));
  const matched = held ? matchedItems(c, rec, env) : [];
  return {
    ...base,
    result: held ? 'true' : 'false',
    fields,
    ...(matched.length > 0 ? { matched } : {}),
  };
}

/** The operand's value, and for a transformer the values it was computed from first. */
function readOperand(op: Operand, rec: AuditRecord, env: CompileEnv): ExplainedField[] {
  const inner = op.kind === 'transform' ? readOperand(op.arg, rec, env) : [];
  const v = evalOperand(op, rec, env);
  const field = printOperand(op);
  return [...inner, readsBody(op, env) ? bodyField(field, v) : boundField(field, v)];
}

/**
 * A value read from a body: an object is never copied (its length is given), nor is text
 * in which the credential scanner finds a credential (its kinds are given); other text,
 * such as an image name, is shown as any value.
 */
function bodyField(field: string, v: FieldValue): ExplainedField {
  const size = objectSize(v);
  if (size !== undefined) return { field, withheld: size };
  if (v === undefined) return { field, value: null };
  const kinds = scanRequestObject({ value: v }).kinds;
  if (kinds.length === 0) return boundField(field, v);
  const length = typeof v === 'string' ? v.length : v.reduce((n, t) => n + t.length, 0);
  return { field, withheld: length, credentials: kinds };
}

const BODY_POINTER = /^\/?(requestObject|responseObject)\b/;

/** Whether an operand reads the request or response body (or the whole event). */
function readsBody(op: Operand, env: CompileEnv): boolean {
  if (op.kind === 'transform') return readsBody(op.arg, env);
  if (/^(jevt|json)\.obj$/.test(op.name)) return true;
  if (/^(jevt|json)\.value$/.test(op.name)) return BODY_POINTER.test(op.arg ?? '');
  const needs = env.registry.get(op.name)?.needs;
  return needs !== undefined && needs !== 'metadata';
}

/** The length of a value rendered from a JSON object or array (longer than `{}`), if it is one. */
function objectSize(v: FieldValue): number | undefined {
  const texts = v === undefined ? [] : typeof v === 'string' ? [v] : v;
  const objects = texts.filter((t) => /^[[{]/.test(t) && t.length > 2);
  return objects.length === 0 ? undefined : texts.reduce((n, t) => n + t.length, 0);
}

function boundField(field: string, v: FieldValue): ExplainedField {
  if (v === undefined) return { field, value: null };
  const { chars, items } = EXPLAIN_LIMITS;
  if (typeof v === 'string') {
    return v.length > chars
      ? { field, value: v.slice(0, chars), truncated: true }
      : { field, value: v };
  }
  const cut = v.length > items || v.some((x) => x.length > chars);
  const value = v.slice(0, items).map((x) => x.slice(0, chars));
  return cut ? { field, value, truncated: true } : { field, value };
}

/** The list items that made a check against a list hold (at most EXPLAIN_LIMITS.matched). */
function matchedItems(c: CheckExpr, rec: AuditRecord, env: CompileEnv): string[] {
  const rhs = c.rhs;
  if (rhs?.kind !== 'list') return [];
  const v = evalOperand(c.lhs, rec, env);
  if (readsBody(c.lhs, env) && objectSize(v) !== undefined) return [];
  let out: string[];
  if ((c.op === 'in' || c.op === 'intersects') && c.modifier === undefined) {
    const have = typeof v === 'string' ? [v] : (v ?? []);
    out = rhs.items.map((i) => i.value).filter((x) => have.includes(x));
  } else {
    out = rhs.items
      .filter((item) => interpretCheck({ ...c, rhs: { ...rhs, items: [item] } }, rec, env))
      .map((i) => i.value);
  }
  return [...new Set(out)]
    .slice(0, EXPLAIN_LIMITS.matched)
    .map((x) => x.slice(0, EXPLAIN_LIMITS.chars));
}

/** A check whose value decided a part's result, with the macros and exception around it. */
export interface DecidingPart {
  readonly node: ExplainedNode;
  /** The macros the check sits in, outermost first. */
  readonly macros: readonly string[];
  /** The exception clause the check sits in, if any. */
  readonly exception?: string;
}

/**
 * The checks whose values gave `node` its result: for a false `and`, what made its first
 * false part false; for a true `or`, its first true part; for a false `or` or a true
 * `and`, every part; `not` passes through. On a near miss (a false root), these are the
 * parts of the condition that failed.
 */
export function decidingParts(node: ExplainedNode, limit = 10): DecidingPart[] {
  const out: DecidingPart[] = [];
  const visit = (n: ExplainedNode, around: Omit<DecidingPart, 'node'>): void => {
    if (out.length >= limit || n.result === 'not_evaluated') return;
    const here = within(n, around);
    if (n.kind === 'check') {
      out.push({ node: n, ...here });
      return;
    }
    for (const c of decidingChildren(n)) visit(c, here);
  };
  visit(node, { macros: [] });
  return out;
}

/** The macros and exception around a node's children. */
function within(n: ExplainedNode, around: Omit<DecidingPart, 'node'>): Omit<DecidingPart, 'node'> {
  const macros = n.macros === undefined ? around.macros : [...around.macros, ...n.macros];
  const exception = n.exception ?? around.exception;
  return exception === undefined ? { macros } : { macros, exception };
}

/** The parts of an `and`/`or`/`not` whose values gave it its result. */
function decidingChildren(n: ExplainedNode): readonly ExplainedNode[] {
  const children = n.children ?? [];
  if (n.kind === 'not') return children;
  const deciding = n.kind === 'and' ? 'false' : 'true';
  const first = children.find((c) => c.result === deciding);
  return first === undefined ? children : [first];
}
