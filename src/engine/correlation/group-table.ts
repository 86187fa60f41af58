/** How a table's states are stored durably (JSON-able values). */
export interface StateCodec<S> {
  save(state: S): unknown;
  load(value: unknown): S;
}

/** Limits of one table: groups, and the events they remember (each kind says its weight). */
export interface TableLimits {
  readonly maxGroups: number;
  readonly maxWeight: number;
}

interface Entry<S> {
  state: S;
  /** Event time (µs) of the group's last update: the table is kept in this order. */
  lastUs: number;
  weight: number;
  /** Order of the update among this table's: ties of `lastUs` keep it across a restart. */
  seq: number;
}

/**
 * The groups of one rule, least recently updated first. Updates come in event-time order
 * (the reorder buffer sees to it), so the front is also the oldest: expiry and eviction
 * both take from the front, in O(1) per group. With `durable`, it records which keys
 * changed so that only those are written with the next spool commit.
 */
export class GroupTable<S> {
  readonly #map = new Map<string, Entry<S>>();
  readonly #dirty = new Set<string>();
  readonly #limits: TableLimits;
  readonly #durable: boolean;
  #weight = 0;
  #seq = 0;
  /** Groups evicted to stay within the limits, since creation. */
  evictions = 0;

  constructor(limits: TableLimits, durable: boolean) {
    this.#limits = limits;
    this.#durable = durable;
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: string): S | undefined {
    return this.#map.get(key)?.state;
  }

  /**
   * Stores `state` as the group's, updated at `tUs`, and moves it to the back. Evicts the
   * oldest groups beyond the limits and hands each to `onEvict` (suppression windows
   * report their counts; other kinds just lose the group).
   */
  set(key: string, state: S, tUs: number, weight: number, onEvict?: (key: string, s: S) => void) {
    const old = this.#map.get(key);
    if (old !== undefined) {
      this.#weight -= old.weight;
      this.#map.delete(key);
    }
    this.#map.set(key, { state, lastUs: tUs, weight, seq: this.#seq++ });
    this.#weight += weight;
    if (this.#durable) this.#dirty.add(key);
    while (this.#map.size > this.#limits.maxGroups || this.#weight > this.#limits.maxWeight) {
      const first = this.#map.keys().next();
      if (first.done || first.value === key) break;
      const victim = this.#map.get(first.value) as Entry<S>;
      this.delete(first.value);
      this.evictions++;
      onEvict?.(first.value, victim.state);
    }
  }

  /** Replaces a group's state in place: its place (and `lastUs`) stay as they were. */
  update(key: string, state: S, weight: number): void {
    const e = this.#map.get(key);
    if (e === undefined) return;
    this.#weight += weight - e.weight;
    e.state = state;
    e.weight = weight;
    if (this.#durable) this.#dirty.add(key);
  }

  delete(key: string): void {
    const old = this.#map.get(key);
    if (old === undefined) return;
    this.#weight -= old.weight;
    this.#map.delete(key);
    if (this.#durable) this.#dirty.add(key);
  }

  /** Removes the groups last updated before `cutUs`, oldest first, handing each to `onExpire`. */
  expireBefore(cutUs: number, onExpire?: (key: string, s: S) => void): void {
    for (const [key, e] of this.#map) {
      if (e.lastUs >= cutUs) break;
      this.delete(key);
      onExpire?.(key, e.state);
    }
  }

  /** Every group, oldest first (flush, snapshots). */
  *entries(): IterableIterator<[key: string, state: S, lastUs: number]> {
    for (const [k, e] of this.#map) yield [k, e.state, e.lastUs];
  }

  /** The keys changed since the last call (a key no longer present was deleted). */
  takeDirty(): string[] {
    const out = [...this.#dirty];
    this.#dirty.clear();
    return out;
  }

  /** The stored form of a group: its state, update time, weight and update order. */
  entryOf(
    key: string,
  ):
    | { readonly state: S; readonly lastUs: number; readonly weight: number; readonly seq: number }
    | undefined {
    return this.#map.get(key);
  }

  /** Puts back groups read from storage, in any order: they are sorted by update order. */
  restore(rows: readonly { key: string; state: S; lastUs: number; weight: number; seq: number }[]) {
    const sorted = [...rows].sort((a, b) => a.seq - b.seq);
    for (const r of sorted) {
      this.#map.set(r.key, { state: r.state, lastUs: r.lastUs, weight: r.weight, seq: r.seq });
      this.#weight += r.weight;
      if (r.seq >= this.#seq) this.#seq = r.seq + 1;
    }
  }

  clear(): void {
    this.#map.clear();
    this.#dirty.clear();
    this.#weight = 0;
  }
}
