import { type Code, joinCode, js } from '../codegen/index.ts';
import { verbGuarded } from '../engine/verb-guard.ts';
import { type AuditRecord, parseTimestampNs } from '../events/index.ts';
import type { FieldRegistry } from '../fields/field.ts';
import type { AndExpr, Expr, OrExpr } from '../lang/ast.ts';
import { type CodegenScope, createCodegenScope } from '../lang/index.ts';
import type { Header } from './header.ts';
import { readsOnlyHeader } from './header-fields.ts';

/** Options of createPrefilter: the field table the rules were compiled against. */
export interface PrefilterEnv {
  readonly registry: FieldRegistry;
  readonly source: 'k8s_audit';
}

/** True when some condition may match the event the header came from. */
export type Prefilter = (h: Header) => boolean;

type Scope = CodegenScope;

/**
 * A sub-expression under three-valued (Kleene) logic, encoded as numbers ordered
 * false < unknown < true (0, 1, 2) so that `and` is min, `or` is max and `not` is 2 - x.
 * `code` evaluates to that number; `canFalse`/`canTrue` say whether some header can
 * make it definitely false/true.
 */
interface Tri {
  readonly code: Code;
  readonly canFalse: boolean;
  readonly canTrue: boolean;
}

const UNKNOWN: Tri = { code: js`1`, canFalse: false, canTrue: false };

function knownTri(scope: Scope, e: Expr): Tri {
  return { code: js`(${scope.emit(e)} ? 2 : 0)`, canFalse: true, canTrue: true };
}

function group(e: AndExpr | OrExpr, children: readonly Expr[]): Expr {
  return children.length === 1
    ? (children[0] as Expr)
    : { kind: e.kind, children, start: e.start, end: e.end };
}

/**
 * A check on a field that declares `presentWhen` (FieldDef): where the header says the
 * field is absent the check is false, as every check on an absent field is; elsewhere
 * it is unknown. So `ka.req.credentials exists` alone lets the prefilter skip every line
 * that is not a write on a scanned resource.
 */
function presenceTri(scope: Scope, e: Expr, registry: FieldRegistry): Tri | undefined {
  if (e.kind !== 'check' || e.lhs.kind !== 'field') return undefined;
  const present = registry.get(e.lhs.name)?.presentWhen;
  if (present === undefined) return undefined;
  return {
    code: js`(${scope.helper(present, 'present')}(r.obj) ? 1 : 0)`,
    canFalse: true,
    canTrue: false,
  };
}

/** Partially evaluates `e`: header-only parts run for real, the rest is unknown. */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: over the limit since before it existed; to be split (docs/architecture.md, "Complexity")
function planTri(scope: Scope, e: Expr, registry: FieldRegistry): Tri {
  if (readsOnlyHeader(e)) return knownTri(scope, e);
  const presence = presenceTri(scope, e, registry);
  if (presence !== undefined) return presence;
  if (e.kind === 'not') {
    const c = planTri(scope, e.child, registry);
    if (c === UNKNOWN) return UNKNOWN;
    return { code: js`(2 - ${c.code})`, canFalse: c.canTrue, canTrue: c.canFalse };
  }
  if (e.kind !== 'and' && e.kind !== 'or') return UNKNOWN;
  const known = e.children.filter(readsOnlyHeader);
  const mixed: Tri[] = [];
  let unknowns = 0;
  for (const c of e.children) {
    if (known.includes(c)) continue;
    const t = planTri(scope, c, registry);
    if (t === UNKNOWN) unknowns++;
    else mixed.push(t);
  }
  const isAnd = e.kind === 'and';
  const k = known.length > 0 ? scope.emit(group(e, known)) : undefined;
  if (k === undefined && mixed.length === 0) return UNKNOWN;
  // The members that are not the known group: combined by min (and) or max (or).
  const rest = mixed.map((m) => m.code);
  if (unknowns > 0) rest.push(js`1`);
  const restCode =
    rest.length === 0
      ? isAnd
        ? js`2`
        : js`0`
      : rest.length === 1
        ? (rest[0] as Code)
        : js`${scope.helper(isAnd ? Math.min : Math.max, isAnd ? 'min' : 'max')}(${joinCode(rest, ', ')})`;
  const code =
    k === undefined
      ? restCode
      : isAnd
        ? js`(${k} ? ${restCode} : 0)`
        : js`(${k} ? 2 : ${restCode})`;
  const tri: Tri = isAnd
    ? {
        code,
        canFalse: k !== undefined || mixed.some((m) => m.canFalse),
        canTrue: unknowns === 0 && mixed.every((m) => m.canTrue),
      }
    : {
        code,
        canFalse: unknowns === 0 && mixed.every((m) => m.canFalse),
        canTrue: k !== undefined || mixed.some((m) => m.canTrue),
      };
  return tri.canFalse || tri.canTrue ? tri : UNKNOWN;
}

/**
 * Builds the raw-line prefilter for a set of (fully expanded) k8s_audit conditions: each
 * is partially evaluated on the header with the real field getters and operators, any
 * check on a field outside the header counting as unknown, and the result is false only
 * when every condition is definitely false — then no rule can match and the line need
 * not be parsed. Returns undefined when some condition can never be decided false from
 * a header (the prefilter would never skip anything), or when compiling fails.
 *
 * @example
 * const pre = createPrefilter(rules.map((r) => r.condition), { registry, source: 'k8s_audit' });
 * const h = scanHeader(line);
 * if (pre && h && !pre(h)) skip(line);
 */
export function createPrefilter(
  conditions: readonly Expr[],
  env: PrefilterEnv,
): Prefilter | undefined {
  if (conditions.length === 0) return undefined;
  try {
    const scope = createCodegenScope(env);
    const checks: Code[] = [];
    for (const c of conditions) {
      const t = planTri(scope, c, env.registry);
      if (!t.canFalse) return undefined;
      // 1 and 2 are truthy: a test on the number itself carries no type feedback.
      checks.push(js`if (${t.code}) return true;`);
    }
    // Only the conditions that can match the event's verb are checked, as in the engine's
    // dispatch: the header's raw `verb` is what ka.verb and jevt.value[/verb] both give
    // when it is a string (a header holds no other kind).
    const body = js`${verbGuarded(scope, conditions, checks, js`r.obj.verb`)}\nreturn false;`;
    const run = scope.build<(r: AuditRecord) => boolean>(body).fn;
    // A fresh record per call (getters may cache per record), timed as the decoder does.
    // An event whose time the decoder cannot read is rejected: "maybe" leaves it to that.
    return (h) => {
      const ts = h.stageTimestamp;
      const timeNs = ts === undefined ? undefined : parseTimestampNs(ts);
      if (timeNs === undefined) return true;
      const obj = h as unknown as Record<string, unknown>;
      return run({ obj, source: 'k8s_audit', timeNs, num: 0 });
    };
  } catch {
    // A condition the loader accepted always compiles; if not, run without a prefilter.
    return undefined;
  }
}
