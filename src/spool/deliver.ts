import type { Output } from '../outputs/index.ts';
import type { AlertOutbox } from './outbox.ts';

/** Entries handed to an output per round. */
const ROUND = 256;

/** Options of one output's delivery loop. */
export interface DeliveryOptions {
  readonly outbox: AlertOutbox;
  readonly output: Output;
  /** The output's stable name in the outbox (its cursor). */
  readonly cursorName: string;
  readonly signal: AbortSignal;
  /** Told about each round (metrics, logs). */
  readonly onRound?: (delivered: number, ms: number) => void;
  /** Told when flushing failed; the round is retried after a pause. */
  readonly onError?: (err: Error) => void;
}

/**
 * Delivers the outbox to one output, in order, from where that output left off: hands it
 * a round of alerts, awaits its flush, then moves its cursor. An alert is therefore
 * delivered at least once; a crash between a flush and the cursor's move would repeat
 * that round, which idempotent outputs (the alert store) absorb and outputs that can read
 * their destination back (the file output's `resume`) skip. Runs until the signal aborts.
 */
export async function runDelivery(opts: DeliveryOptions): Promise<void> {
  const { outbox, output, signal } = opts;
  let cursor = await outbox.cursor(opts.cursorName);
  let resumed = output.resume === undefined;
  while (!signal.aborted) {
    const entries = await outbox.read(cursor, ROUND);
    if (entries.length === 0) {
      await outbox.waitFor(cursor, signal);
      continue;
    }
    if (!resumed) {
      // The first round after a start may have reached the output before a crash kept
      // the cursor from moving: the output says how many it already has.
      resumed = true;
      const done = await output.resume?.(entries.map((e) => e.alert));
      if (done !== undefined && done > 0) {
        cursor = (entries[done - 1] as (typeof entries)[number]).id;
        await outbox.setCursor(opts.cursorName, cursor);
        continue;
      }
    }
    const started = performance.now();
    for (const e of entries) output.write(e.alert);
    try {
      await output.flush();
    } catch (err) {
      opts.onError?.(err as Error);
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    cursor = (entries[entries.length - 1] as (typeof entries)[number]).id;
    await outbox.setCursor(opts.cursorName, cursor);
    opts.onRound?.(entries.length, performance.now() - started);
  }
}
