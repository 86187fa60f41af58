import type { StoredAlert } from '../api/types.ts';

/** The list page's rows: loaded pages plus live arrivals, newest first, no duplicates. */
export interface ListState {
  readonly items: readonly StoredAlert[];
  /** Cursor of the next older page; null when there is none. */
  readonly next: string | null;
  /** Live arrivals held back while the reader is scrolled down, newest first. */
  readonly pending: readonly StoredAlert[];
  /** Arrivals beyond the pending bound: counted, shown after a reload. */
  readonly overflow: number;
  /** True when rows were dropped from the end to bound the list (paging stops there). */
  readonly truncated: boolean;
}

/** Rows kept in the page; past this the oldest go (and "load more" with them). */
export const MAX_ITEMS = 2000;
/** Live arrivals held while scrolled down; more are only counted. */
export const MAX_PENDING = 500;

export const EMPTY_LIST: ListState = {
  items: [],
  next: null,
  pending: [],
  overflow: 0,
  truncated: false,
};

/** Compares decimal texts as numbers without parsing them (a shorter one is smaller). */
function compareDecimal(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Newest first, as the API orders: by time (ns as text), then by id. */
function newerFirst(a: StoredAlert, b: StoredAlert): number {
  return compareDecimal(b.timeNs, a.timeNs) || compareDecimal(b.id, a.id);
}

/** `items` with `a` put where it belongs in newest-first order (usually the top). */
function insertSorted(items: readonly StoredAlert[], a: StoredAlert): StoredAlert[] {
  let i = 0;
  while (i < items.length && newerFirst(items[i] as StoredAlert, a) < 0) i++;
  return [...items.slice(0, i), a, ...items.slice(i)];
}

function bound(s: ListState, items: readonly StoredAlert[]): ListState {
  if (items.length <= MAX_ITEMS) return { ...s, items };
  return { ...s, items: items.slice(0, MAX_ITEMS), next: null, truncated: true };
}

/** The first page of a (new) filter. */
export function firstPage(items: readonly StoredAlert[], next: string | null): ListState {
  return bound({ ...EMPTY_LIST, next }, dedupe(items, new Set()));
}

/** An older page appended at the end. */
export function appendPage(
  s: ListState,
  items: readonly StoredAlert[],
  next: string | null,
): ListState {
  if (s.truncated) return s;
  const seen = new Set(s.items.map((a) => a.id));
  return bound({ ...s, next }, [...s.items, ...dedupe(items, seen)]);
}

/**
 * A live alert: shown at the top at once when the reader is at the top of the list,
 * otherwise held in `pending` (counted beyond MAX_PENDING).
 */
export function addLive(s: ListState, a: StoredAlert, atTop: boolean): ListState {
  if (s.items.some((x) => x.id === a.id) || s.pending.some((x) => x.id === a.id)) return s;
  if (atTop && s.pending.length === 0) return bound(s, insertSorted(s.items, a));
  if (s.pending.length >= MAX_PENDING) return { ...s, overflow: s.overflow + 1 };
  return { ...s, pending: insertSorted(s.pending, a) };
}

/** Shows the held arrivals at the top. */
export function showPending(s: ListState): ListState {
  if (s.pending.length === 0) return s;
  let items = s.items;
  for (const a of s.pending) if (!items.some((x) => x.id === a.id)) items = insertSorted(items, a);
  return bound({ ...s, pending: [], overflow: 0 }, items);
}

function dedupe(items: readonly StoredAlert[], seen: Set<string>): StoredAlert[] {
  const out: StoredAlert[] = [];
  for (const a of items) {
    if (seen.has(a.id)) continue;
    seen.add(a.id);
    out.push(a);
  }
  return out;
}
