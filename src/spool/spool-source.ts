import type { StateChanges } from '../engine/index.ts';
import type { Source, SourceBatch } from '../sources/index.ts';
import type { Spool } from './spool.ts';

/** Batches read per query. */
const READ_BATCHES = 32;

/**
 * The spool as a source: every batch after the committed position, then new ones as the
 * webhook appends them, until the signal aborts. Each batch carries a `commit` that the
 * pipeline calls once the batch's alerts are in the outbox, so a batch interrupted by a
 * crash is read again after the restart. `takeState` (detection's correlation changes since
 * the last commit) is committed with the position, in one transaction.
 */
export function createSpoolSource(
  spool: Spool,
  takeState?: () => StateChanges | undefined,
): Source {
  return {
    name: 'spool',
    async *read(ctx): AsyncGenerator<SourceBatch> {
      const signal = ctx.signal ?? new AbortController().signal;
      let position = await spool.committed();
      while (!signal.aborted) {
        const batches = await spool.read(position, READ_BATCHES);
        if (batches.length === 0) {
          await spool.waitFor(position, signal);
          continue;
        }
        for (const b of batches) {
          position = b.position;
          const at = b.position;
          yield {
            origin: b.origin,
            firstLine: 1,
            lines: b.events,
            bytes: b.events.reduce((n, e) => n + e.length + 1, 0),
            ...(b.cluster !== undefined ? { cluster: b.cluster } : {}),
            commit: () => spool.commit(at, takeState?.()),
          };
        }
      }
    },
  };
}
