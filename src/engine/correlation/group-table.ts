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
  /**
   * Keys in update order, with the update's `seq`; an item whose key was updated again
   * or deleted since is stale and skipped. Taking the oldest from the Map itself cost a
   * walk over its deleted slots (V8 keeps them until it rehashes): under a flood of new
   * keys every eviction paid it, and a million keys took 16 times as long as 100,000.
   */
  #order: { readonly key: string; readonly seq: number }[] = [];
  #orderHead = 0;
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
    const seq = this.#seq++;
    this.#map.set(key, { state, lastUs: tUs, weight, seq });
    this.#order.push({ key, seq });
    this.#weight += weight;
    if (this.#durable) this.#dirty.add(key);
    while (this.#map.size > this.#limits.maxGroups || this.#weight > this.#limits.maxWeight) {
      const first = this.#oldest();
      if (first === undefined || first[0] === key) break;
      this.delete(first[0]);
      this.evictions++;
      onEvict?.(first[0], first[1].state);
    }
    this.#compactOrder();
  }

  /** The least recently updated group, dropping stale order items on the way. */
  #oldest(): [string, Entry<S>] | undefined {
    const order = this.#order;
    while (this.#orderHead < order.length) {
      const item = order[this.#orderHead] as { readonly key: string; readonly seq: number };
      const e = this.#map.get(item.key);
      if (e !== undefined && e.seq === item.seq) return [item.key, e];
      this.#orderHead++;
    }
    this.#compactOrder(true);
    return undefined;
  }

  // Keeps the order list within a small multiple of the live groups.
  #compactOrder(force = false): void {
    if (!force && this.#order.length <= 2 * this.#map.size + 1024) return;
    const live: { readonly key: string; readonly seq: number }[] = [];
    for (let i = this.#orderHead; i < this.#order.length; i++) {
      const item = this.#order[i] as { readonly key: string; readonly seq: number };
      if (this.#map.get(item.key)?.seq === item.seq) live.push(item);
    }
    this.#order = live;
    this.#orderHead = 0;
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
    for (let first = this.#oldest(); first !== undefined; first = this.#oldest()) {
      const [key, e] = first;
      if (e.lastUs >= cutUs) break;
      this.delete(key);
      onExpire?.(key, e.state);
    }
    this.#compactOrder();
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
      this.#order.push({ key: r.key, seq: r.seq });
      this.#weight += r.weight;
      if (r.seq >= this.#seq) this.#seq = r.seq + 1;
    }
  }

  clear(): void {
    this.#map.clear();
    this.#order = [];
    this.#orderHead = 0;
    this.#dirty.clear();
    this.#weight = 0;
  }
}
