import { defaultFieldRegistry } from '../fields/index.ts';
import type { CheckExpr, Expr, Operand } from '../lang/ast.ts';

/** Audit detail a rule needs: Metadata, Request (requestObject) or RequestResponse. */
export type DataNeed = 'metadata' | 'request' | 'response';

/**
 * What a rule's condition requires of an event for it to possibly match. A set lists the
 * only values the field can take in a matching event; `undefined` means unconstrained.
 */
export interface RuleRequirements {
  readonly stages?: ReadonlySet<string>;
  readonly verbs?: ReadonlySet<string>;
  readonly resources?: ReadonlySet<string>;
  readonly subresources?: ReadonlySet<string>;
  /** The most detailed audit level any field read by the condition needs. */
  readonly needs: DataNeed;
  /** Every field read by the condition (`name` or `name[arg]`), first-use order. */
  readonly fields: readonly string[];
}

type Dim = 'stages' | 'verbs' | 'resources' | 'subresources';
/** Allowed values per dimension; a missing dimension is unconstrained. */
type Constraint = Record<string, Set<string>>;
/** Maps a field key (`name` or `name[arg]`) to the dimension it constrains, if any. */
export type DimensionOf = (fieldKey: string) => string | undefined;

const DIM_OF_FIELD: Readonly<Record<string, Dim>> = {
  'ka.stage': 'stages',
  'jevt.value[/stage]': 'stages',
  'json.value[/stage]': 'stages',
  'ka.verb': 'verbs',
  'jevt.value[/verb]': 'verbs',
  'json.value[/verb]': 'verbs',
  'kar.verb': 'verbs',
  'ka.target.resource': 'resources',
  'kar.target.resource': 'resources',
  'jevt.value[/objectRef/resource]': 'resources',
  'ka.target.subresource': 'subresources',
  'kar.target.subresource': 'subresources',
  'jevt.value[/objectRef/subresource]': 'subresources',
};

function fieldKey(f: Operand): string | undefined {
  if (f.kind !== 'field') return undefined;
  return f.arg === undefined ? f.name : `${f.name}[${f.arg}]`;
}

/** Values a single check pins its field to, when it is `=`, `==` or `in` on a plain field. */
function checkConstraint(c: CheckExpr, dimOf: DimensionOf): Constraint {
  if (c.modifier !== undefined) return {};
  const key = fieldKey(c.lhs);
  const dim = key === undefined ? undefined : dimOf(key);
  if (dim === undefined || c.rhs === undefined) return {};
  if ((c.op === '=' || c.op === '==') && c.rhs.kind === 'value') {
    return { [dim]: new Set([c.rhs.value]) };
  }
  if ((c.op === 'in' || c.op === 'intersects') && c.rhs.kind === 'list') {
    return { [dim]: new Set(c.rhs.items.map((i) => i.value)) };
  }
  return {};
}

function intersect(a: Constraint, b: Constraint): Constraint {
  const out: Constraint = { ...a };
  for (const [d, bs] of Object.entries(b)) {
    const as = out[d];
    out[d] = as === undefined ? new Set(bs) : new Set([...as].filter((v) => bs.has(v)));
  }
  return out;
}

function union(a: Constraint, b: Constraint): Constraint {
  const out: Constraint = {};
  for (const [d, as] of Object.entries(a)) {
    const bs = b[d];
    if (bs !== undefined) out[d] = new Set([...as, ...bs]);
  }
  return out;
}

/**
 * The values each dimension must take for `e` to be true: `=`/`in`/`intersects` checks
 * pin a field, `and` intersects, `or` unites (a dimension stays constrained only when
 * every branch constrains it), `not` claims nothing. Sound, not complete.
 */
export function fieldConstraints(
  e: Expr,
  dimOf: DimensionOf,
): Readonly<Record<string, ReadonlySet<string>>> {
  return constraintOf(e, dimOf);
}

function constraintOf(e: Expr, dimOf: DimensionOf): Constraint {
  switch (e.kind) {
    case 'check':
      return checkConstraint(e, dimOf);
    case 'and':
      return e.children.reduce<Constraint>((acc, c) => intersect(acc, constraintOf(c, dimOf)), {});
    case 'or': {
      const [first, ...rest] = e.children;
      if (first === undefined) return {};
      return rest.reduce<Constraint>(
        (acc, c) => union(acc, constraintOf(c, dimOf)),
        constraintOf(first, dimOf),
      );
    }
    // A negation can only widen what matches; we stay conservative and claim nothing.
    case 'not':
    case 'macro':
      return {};
  }
}

/**
 * Which audit detail reading `key` (`name` or `name[arg]`) needs: the field table's
 * `needs`, except for JSON pointers, which depend on the path they read.
 */
export function fieldDataNeed(key: string): DataNeed {
  const m = /^(?:jevt|json)\.value\[\/?(requestObject|responseObject)\b/.exec(key);
  if (m) return m[1] === 'requestObject' ? 'request' : 'response';
  const name = key.replace(/\[.*$/, '');
  const def = defaultFieldRegistry.get(name);
  if (def !== undefined) return def.needs;
  if (key.startsWith('ka.req.') || key.startsWith('kar.req.')) return 'request';
  if (key.startsWith('ka.resp.')) return 'response';
  return 'metadata';
}

const NEED_RANK: Readonly<Record<DataNeed, number>> = { metadata: 0, request: 1, response: 2 };

function collectFields(e: Expr, out: string[]): void {
  const addOperand = (o: Operand): void => {
    if (o.kind === 'transform') {
      addOperand(o.arg);
      return;
    }
    const k = fieldKey(o);
    if (k !== undefined && !out.includes(k)) out.push(k);
  };
  switch (e.kind) {
    case 'check':
      addOperand(e.lhs);
      if (e.rhs?.kind === 'val') addOperand(e.rhs.field);
      else if (e.rhs?.kind === 'transform') addOperand(e.rhs);
      return;
    case 'and':
    case 'or':
      for (const c of e.children) collectFields(c, out);
      return;
    case 'not':
      collectFields(e.child, out);
      return;
    case 'macro':
      return;
  }
}

/**
 * Derives what an (expanded) condition requires: the stages, verbs, resources and
 * subresources a matching event must have, and the audit detail its fields need.
 * Sound but not complete: an unconstrained dimension may still be constrained in ways
 * this analysis does not see (e.g. under `not`).
 *
 * @example analyzeRequirements(parseCondition('ka.verb in (create, update) and ka.req.pod.host_network = true'))
 *   // → { verbs: Set{create, update}, needs: 'request', fields: [...] }
 */
export function analyzeRequirements(expr: Expr): RuleRequirements {
  const c = constraintOf(expr, (k) => DIM_OF_FIELD[k]) as Partial<Record<Dim, Set<string>>>;
  const fields: string[] = [];
  collectFields(expr, fields);
  let needs: DataNeed = 'metadata';
  for (const f of fields) {
    const n = fieldDataNeed(f);
    if (NEED_RANK[n] > NEED_RANK[needs]) needs = n;
  }
  return { ...c, needs, fields };
}
