import type { Operator } from './ast.ts';
import { compileGlob } from './glob.ts';
import { compileRegex } from './regex/index.ts';
import type { StringMatcher } from './string-matcher.ts';
import { asciiLower } from './transformers.ts';

/**
 * What the parser reads after the operator: nothing (`exists`), a number or transformer
 * (`<`), a string or transformer (`=`), or a list, list name or transformer (`in`).
 */
export type RhsShape = 'none' | 'number' | 'string' | 'list';

/** A precompiled right-hand side, built once at compile time. */
export type Prepared = string | ReadonlySet<string> | StringMatcher | PathMatcher;

/** A compiled `pmatch` list: true when a value is one of the paths or below one. */
export type PathMatcher = (value: string) => boolean;

/** One operator of the language and its semantics on a single string value. */
export interface OperatorSpec {
  readonly name: Operator;
  readonly rhs: RhsShape;
  /** Accepted on list fields (Falco: only `in`, `intersects`, `exists`). */
  readonly listField: boolean;
  /** Accepted on numeric operands (`len()`, uint64 fields). */
  readonly numeric: boolean;
  /** Rejected on string fields at compile time (byte-buffer operators). */
  readonly bytesOnly?: boolean;
  /** Precompiles a literal right-hand side (list items or the single value). */
  prepare(values: readonly string[]): Prepared;
  /** Tests one extracted string value against the prepared right-hand side. */
  test(value: string, rhs: Prepared): boolean;
}

const first = (values: readonly string[]): string => values[0] ?? '';
const str = (p: Prepared): string => p as string;
const asSet = (values: readonly string[]): ReadonlySet<string> => new Set(values);

// Lexicographic comparison the way strcmp orders bytes (UTF-16 order matches UTF-8 byte
// order except for surrogate pairs, which audit text rarely holds).
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function spec(
  name: Operator,
  rhs: RhsShape,
  prepare: OperatorSpec['prepare'],
  test: OperatorSpec['test'],
  extra: Partial<Pick<OperatorSpec, 'listField' | 'numeric' | 'bytesOnly'>> = {},
): OperatorSpec {
  return { name, rhs, prepare, test, listField: false, numeric: false, ...extra };
}

/**
 * Compiles a `pmatch` list: a value matches a path when the path's components are a
 * prefix of the value's components (`/tmp/hello` matches `/tmp/hello/x`, not
 * `/tmp/hello_world`); components may hold glob patterns.
 */
export function compilePathMatcher(paths: readonly string[]): PathMatcher {
  const exact = new Set<string>();
  const patterns: ((c: string) => boolean)[][] = [];
  // Components are compared one by one, so a value's cost is linear in its length.
  for (const p of paths) {
    const trimmed = p.length > 1 ? p.replace(/\/+$/, '') : p;
    if (!/[*?[\\]/.test(trimmed)) exact.add(trimmed);
    const parts = trimmed === '/' ? [''] : trimmed.split('/');
    patterns.push(
      parts.map((part) => {
        if (!/[*?[\\]/.test(part)) return (c: string) => c === part;
        const re = compileGlob(part, false);
        return (c: string) => re.test(c);
      }),
    );
  }
  return (value) => {
    if (exact.has(value)) return true;
    const comps = value.split('/');
    return patterns.some(
      (pat) => pat.length <= comps.length && pat.every((m, i) => m(comps[i] as string)),
    );
  };
}

const OPERATORS: readonly OperatorSpec[] = [
  spec(
    'exists',
    'none',
    () => '',
    () => true,
    { listField: true, numeric: true },
  ),
  spec('=', 'string', first, (v, r) => v === r, { numeric: true }),
  spec('==', 'string', first, (v, r) => v === r, { numeric: true }),
  spec('!=', 'string', first, (v, r) => v !== r, { numeric: true }),
  spec('<', 'number', first, (v, r) => cmp(v, str(r)) < 0, { numeric: true }),
  spec('<=', 'number', first, (v, r) => cmp(v, str(r)) <= 0, { numeric: true }),
  spec('>', 'number', first, (v, r) => cmp(v, str(r)) > 0, { numeric: true }),
  spec('>=', 'number', first, (v, r) => cmp(v, str(r)) >= 0, { numeric: true }),
  spec('contains', 'string', first, (v, r) => v.includes(str(r))),
  spec('icontains', 'string', first, (v, r) => asciiLower(v).includes(asciiLower(str(r)))),
  spec('bcontains', 'string', first, (v, r) => v.includes(str(r)), { bytesOnly: true }),
  spec('startswith', 'string', first, (v, r) => v.startsWith(str(r))),
  spec('bstartswith', 'string', first, (v, r) => v.startsWith(str(r)), { bytesOnly: true }),
  spec('endswith', 'string', first, (v, r) => v.endsWith(str(r))),
  spec(
    'glob',
    'string',
    (vs) => compileGlob(first(vs), false),
    (v, r) => (r as StringMatcher).test(v),
  ),
  spec(
    'iglob',
    'string',
    (vs) => compileGlob(first(vs), true),
    (v, r) => (r as StringMatcher).test(v),
  ),
  spec(
    'regex',
    'string',
    (vs) => compileRegex(first(vs)),
    (v, r) => (r as StringMatcher).test(v),
  ),
  spec('in', 'list', asSet, (v, r) => (r as ReadonlySet<string>).has(v), {
    listField: true,
    numeric: true,
  }),
  spec('intersects', 'list', asSet, (v, r) => (r as ReadonlySet<string>).has(v), {
    listField: true,
    numeric: true,
  }),
  spec('pmatch', 'list', compilePathMatcher, (v, r) => (r as PathMatcher)(v)),
];

const BY_NAME = new Map<string, OperatorSpec>(OPERATORS.map((o) => [o.name, o]));

/** Operator names, longest first, so the parser matches `intersects` before `in`. */
export const OPERATOR_NAMES: readonly Operator[] = OPERATORS.map((o) => o.name).sort(
  (a, b) => b.length - a.length,
);

export function getOperator(name: string): OperatorSpec | undefined {
  return BY_NAME.get(name);
}

/** True for operators spelled as words, which must be followed by a blank. */
export function isWordOperator(name: string): boolean {
  return /^[a-z]/.test(name);
}
