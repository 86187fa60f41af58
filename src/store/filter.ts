import { PRIORITIES, priorityRank } from '../rules/index.ts';
import { type AlertFilter, StoreError } from './store.ts';

/** A filter checked and turned into column values, shared by both SQL builders. */
export interface NormalFilter {
  readonly fromNs?: bigint;
  readonly toNs?: bigint;
  /** Highest rank (least severe priority) kept. */
  readonly maxRank?: number;
  readonly rules?: readonly string[];
  readonly source?: string;
  readonly tag?: string;
  readonly cluster?: string;
  readonly namespace?: string;
  readonly user?: string;
  readonly verb?: string;
  readonly resource?: string;
  /** Lower-cased. */
  readonly text?: string;
}

export const FILTER_VALUE_MAX = 1024;
export const FILTER_RULES_MAX = 100;

const RFC3339 =
  /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;
const DECIMAL_NS = /^\d{1,19}$/;

/** Nanoseconds since the epoch of an RFC 3339 time or a decimal ns string. */
export function parseTimeNs(text: string): bigint | undefined {
  if (DECIMAL_NS.test(text)) return BigInt(text);
  const m = RFC3339.exec(text);
  if (m === null) return undefined;
  const zone = m[4] === 'z' ? 'Z' : m[4];
  const ms = Date.parse(`${m[1]}T${m[2]}${zone}`);
  if (Number.isNaN(ms)) return undefined;
  const frac = (m[3] ?? '').padEnd(9, '0');
  return BigInt(ms) * 1_000_000n + BigInt(frac);
}

function time(key: 'from' | 'to', v: string | undefined): bigint | undefined {
  if (v === undefined) return undefined;
  const ns = parseTimeNs(v);
  if (ns === undefined) {
    throw new StoreError(
      'bad_filter',
      `${key}: expected RFC 3339 time or ns, got ${JSON.stringify(v.slice(0, 64))}`,
    );
  }
  return ns;
}

function text(key: string, v: string | undefined): string | undefined {
  if (v === undefined || v === '') return undefined;
  if (v.length > FILTER_VALUE_MAX) {
    throw new StoreError('bad_filter', `${key}: longer than ${FILTER_VALUE_MAX} characters`);
  }
  return v;
}

/** Checks a filter; throws StoreError('bad_filter') saying which key is wrong. */
export function normalizeFilter(f: AlertFilter): NormalFilter {
  const rules = f.rule?.filter((r) => r !== '');
  if (rules !== undefined && rules.length > FILTER_RULES_MAX) {
    throw new StoreError('bad_filter', `rule: at most ${FILTER_RULES_MAX} rule names`);
  }
  for (const r of rules ?? []) text('rule', r);
  if (f.minPriority !== undefined && !PRIORITIES.includes(f.minPriority)) {
    throw new StoreError(
      'bad_filter',
      `minPriority: unknown priority ${JSON.stringify(f.minPriority)}`,
    );
  }
  const out: Record<string, unknown> = {
    fromNs: time('from', f.from),
    toNs: time('to', f.to),
    maxRank: f.minPriority === undefined ? undefined : priorityRank(f.minPriority),
    rules: rules === undefined || rules.length === 0 ? undefined : rules,
    source: text('source', f.source),
    tag: text('tag', f.tag),
    cluster: text('cluster', f.cluster),
    namespace: text('namespace', f.namespace),
    user: text('user', f.user),
    verb: text('verb', f.verb),
    resource: text('resource', f.resource),
    text: text('text', f.text)?.toLowerCase(),
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as NormalFilter;
}

/** How a SQL dialect spells the parts of a WHERE clause that differ. */
export interface SqlDialect {
  /** Placeholder of the n-th parameter (1-based). */
  param(n: number): string;
  /** A condition that the alert has the tag in parameter `p`. */
  hasTag(p: string): string;
  /** Case-insensitive containment of the LIKE pattern in parameter `p` in `column`. */
  contains(column: string, p: string): string;
  /**
   * Wraps the exact free-text condition `exact` (over parameter `p`), e.g. to add a test
   * an index can answer first; default: `exact` alone.
   */
  textSearch?(p: string, exact: string): string;
}

/** Columns `text` searches. */
export const TEXT_COLUMNS = [
  'output',
  'rule',
  'namespace',
  'user_name',
  'name',
  'resource',
  'verb',
  'cluster',
  'source_ip',
  'user_agent',
  'audit_id',
];

const EQUAL_COLUMNS = [
  ['source', 'source'],
  ['cluster', 'cluster'],
  ['namespace', 'namespace'],
  ['user', 'user_name'],
  ['verb', 'verb'],
  ['resource', 'resource'],
] as const;

/** Escapes LIKE wildcards; the pattern uses `\` as its ESCAPE character. */
export function likePattern(needle: string): string {
  return `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A WHERE clause (without the keyword; `TRUE`-like `1=1` when empty) and its parameters. */
export function buildWhere(
  f: NormalFilter,
  d: SqlDialect,
  params: unknown[] = [],
): { readonly sql: string; readonly params: unknown[] } {
  const parts: string[] = [];
  const add = (v: unknown): string => {
    params.push(v);
    return d.param(params.length);
  };
  if (f.fromNs !== undefined) parts.push(`time_ns >= ${add(f.fromNs)}`);
  if (f.toNs !== undefined) parts.push(`time_ns < ${add(f.toNs)}`);
  if (f.maxRank !== undefined) parts.push(`priority <= ${add(f.maxRank)}`);
  if (f.rules !== undefined) parts.push(`rule IN (${f.rules.map(add).join(', ')})`);
  for (const [key, column] of EQUAL_COLUMNS) {
    const v = f[key];
    if (v !== undefined) parts.push(`${column} = ${add(v)}`);
  }
  if (f.tag !== undefined) parts.push(d.hasTag(add(f.tag)));
  if (f.text !== undefined) {
    const p = add(likePattern(f.text));
    const exact = `(${TEXT_COLUMNS.map((c) => d.contains(c, p)).join(' OR ')})`;
    parts.push(d.textSearch === undefined ? exact : d.textSearch(p, exact));
  }
  return { sql: parts.length === 0 ? '1=1' : parts.join(' AND '), params };
}
