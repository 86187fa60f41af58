import type { Params } from '../api/params.ts';
import type { Priority } from '../api/types.ts';
import { isPriority } from './priority.ts';

/** The time ranges the pickers offer; `custom` uses `from`/`to`. */
export const RANGES = ['15m', '1h', '24h', '7d', 'all', 'custom'] as const;
export type RangeKey = (typeof RANGES)[number];

export const RANGE_LABELS: Readonly<Record<RangeKey, string>> = {
  '15m': 'Last 15 minutes',
  '1h': 'Last hour',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  all: 'All time',
  custom: 'Custom',
};

const RANGE_MS: Readonly<Record<string, number>> = {
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
};

/** The text filters, in the order the form shows them; each is one API parameter. */
export const TEXT_FILTERS = [
  'source',
  'tag',
  'cluster',
  'namespace',
  'user',
  'verb',
  'resource',
] as const;
export type TextFilter = (typeof TEXT_FILTERS)[number];

/** Everything that selects alerts: what the page URL holds and the API receives. */
export interface AlertFilter {
  readonly range: RangeKey;
  /** RFC 3339, for the custom range. */
  readonly from?: string;
  readonly to?: string;
  readonly priority?: Priority;
  readonly rule: readonly string[];
  readonly text: Readonly<Partial<Record<TextFilter, string>>>;
  readonly q?: string;
}

export const DEFAULT_RANGE: RangeKey = '24h';

// A URL is attacker-shareable too: values are bounded before they go anywhere.
const MAX_VALUE = 500;
const MAX_RULES = 50;

function clean(v: string | null): string | undefined {
  if (v === null) return undefined;
  const t = v.trim().slice(0, MAX_VALUE);
  return t === '' ? undefined : t;
}

function cleanTime(v: string | null): string | undefined {
  const t = clean(v);
  return t !== undefined && !Number.isNaN(Date.parse(t)) ? t : undefined;
}

/** Reads a filter from a page's query string; unknown or malformed values are dropped. */
export function readFilter(search: string): AlertFilter {
  const p = new URLSearchParams(search);
  const rangeRaw = p.get('range');
  const from = cleanTime(p.get('from'));
  const to = cleanTime(p.get('to'));
  let range: RangeKey =
    rangeRaw !== null && (RANGES as readonly string[]).includes(rangeRaw)
      ? (rangeRaw as RangeKey)
      : from !== undefined || to !== undefined
        ? 'custom'
        : DEFAULT_RANGE;
  if (range === 'custom' && from === undefined && to === undefined) range = DEFAULT_RANGE;
  const prio = p.get('priority');
  const text: Partial<Record<TextFilter, string>> = {};
  for (const k of TEXT_FILTERS) {
    const v = clean(p.get(k));
    if (v !== undefined) text[k] = v;
  }
  const rule = p
    .getAll('rule')
    .map((r) => clean(r))
    .filter((r): r is string => r !== undefined)
    .slice(0, MAX_RULES);
  const q = clean(p.get('q'));
  return {
    range,
    ...(range === 'custom' && from !== undefined ? { from } : {}),
    ...(range === 'custom' && to !== undefined ? { to } : {}),
    ...(prio !== null && isPriority(prio) ? { priority: prio } : {}),
    rule,
    text,
    ...(q !== undefined ? { q } : {}),
  };
}

/** The query string (without "?") for a filter, in a fixed order; "" for the default. */
export function formatFilter(f: AlertFilter): string {
  const p = new URLSearchParams();
  if (f.range !== DEFAULT_RANGE && f.range !== 'custom') p.set('range', f.range);
  if (f.range === 'custom') {
    if (f.from !== undefined) p.set('from', f.from);
    if (f.to !== undefined) p.set('to', f.to);
  }
  if (f.priority !== undefined) p.set('priority', f.priority);
  for (const r of f.rule) p.append('rule', r);
  for (const k of TEXT_FILTERS) {
    const v = f.text[k];
    if (v !== undefined) p.set(k, v);
  }
  if (f.q !== undefined) p.set('q', f.q);
  return p.toString();
}

/** The range as epoch milliseconds; `from` undefined means unbounded. */
export function rangeBounds(f: AlertFilter, nowMs: number): { fromMs?: number; toMs?: number } {
  if (f.range === 'custom') {
    return {
      ...(f.from !== undefined ? { fromMs: Date.parse(f.from) } : {}),
      ...(f.to !== undefined ? { toMs: Date.parse(f.to) } : {}),
    };
  }
  const span = RANGE_MS[f.range];
  return span === undefined ? {} : { fromMs: nowMs - span };
}

/**
 * The API's parameters for a filter. Relative ranges are resolved against `nowMs` and
 * left open at the end, so alerts arriving later still match.
 */
export function apiParams(f: AlertFilter, nowMs: number, withTime = true): Params {
  const b = rangeBounds(f, nowMs);
  return {
    ...(withTime && b.fromMs !== undefined ? { from: new Date(b.fromMs).toISOString() } : {}),
    ...(withTime && b.toMs !== undefined ? { to: new Date(b.toMs).toISOString() } : {}),
    priority: f.priority,
    rule: f.rule,
    ...f.text,
    q: f.q,
  };
}

const NICE_BUCKETS_MS = [
  1_000,
  5_000,
  15_000,
  30_000,
  60_000,
  5 * 60_000,
  15 * 60_000,
  30 * 60_000,
  3_600_000,
  3 * 3_600_000,
  6 * 3_600_000,
  12 * 3_600_000,
  86_400_000,
  7 * 86_400_000,
];

/** A bucket width giving at most about 100 bars over `spanMs`, as the API writes it ("5m"). */
export function bucketFor(spanMs: number): string {
  const want = spanMs / 100;
  const ms = NICE_BUCKETS_MS.find((b) => b >= want) ?? 7 * 86_400_000;
  return formatDuration(ms);
}

export function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.max(1, Math.round(ms / 1000))}s`;
}

/** True when the filter selects more than a time range. */
export function hasConditions(f: AlertFilter): boolean {
  return (
    f.priority !== undefined ||
    f.rule.length > 0 ||
    f.q !== undefined ||
    Object.keys(f.text).length > 0
  );
}

/** The same time range without any other condition. */
export function onlyTime(f: AlertFilter): AlertFilter {
  return {
    range: f.range,
    ...(f.from !== undefined ? { from: f.from } : {}),
    ...(f.to !== undefined ? { to: f.to } : {}),
    rule: [],
    text: {},
  };
}

/** A UI path with the filter as its query ("/alerts?user=x"). */
export function pathWithFilter(path: string, f: AlertFilter): string {
  const q = formatFilter(f);
  return q === '' ? path : `${path}?${q}`;
}
