import type { StepMatch } from './step-match.ts';

/** A match waiting in the reorder buffer. */
export interface Buffered {
  readonly m: StepMatch;
  /** Event time in µs. */
  readonly tUs: number;
  /** Arrival order: equal times keep it. */
  readonly seq: number;
}

/**
 * Matches in event-time order (then arrival order). Logs are nearly sorted, so an insert
 * is almost always an append; the oldest leave from the front through a moving head.
 */
export class ReorderBuffer {
  #items: Buffered[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  insert(b: Buffered): void {
    const items = this.#items;
    let i = items.length;
    while (i > this.#head) {
      const prev = items[i - 1] as Buffered;
      if (prev.tUs < b.tUs || (prev.tUs === b.tUs && prev.seq < b.seq)) break;
      i--;
    }
    if (i === items.length) items.push(b);
    else items.splice(i, 0, b);
  }

  /** The oldest match, if its time is at most `upToUs`; removed. */
  shiftUpTo(upToUs: number): Buffered | undefined {
    const first = this.#items[this.#head];
    if (first === undefined || first.tUs > upToUs) return undefined;
    this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return first;
  }

  /** The oldest match; removed. */
  shift(): Buffered | undefined {
    return this.shiftUpTo(Number.POSITIVE_INFINITY);
  }

  *values(): IterableIterator<Buffered> {
    for (let i = this.#head; i < this.#items.length; i++) yield this.#items[i] as Buffered;
  }

  clear(): void {
    this.#items = [];
    this.#head = 0;
  }
}
