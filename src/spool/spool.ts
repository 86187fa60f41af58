import type { StateChanges } from '../engine/index.ts';

/**
 * The durable log between the webhook and detection. The webhook appends a batch and
 * answers 200 only once `append` resolved (the batch is on disk); detection reads
 * batches after its committed position and commits a position once their alerts are
 * safely in the outbox. The embedded implementation is SQLite (sqlite-spool.ts); the
 * distributed one is NATS JetStream (bus/jetstream-spool.ts, `kaudit serve --bus`), whose
 * readers are `kaudit detect` workers acknowledging messages (docs/distributed.md).
 */

/** One accepted webhook request's events, as the apiserver sent them. */
export interface SpoolBatchInput {
  /** Each event's JSON text, one event per entry. */
  readonly events: readonly string[];
  /** Where it came from, for messages: the route and the client. */
  readonly origin: string;
  /** The cluster the sender belongs to, when known (route, token or config). */
  readonly cluster?: string;
  /**
   * The same events as ASCII bytes, joined by newlines, when the webhook could copy them
   * out of the request body: a spool that stores bytes keeps these instead of encoding
   * the strings again. Never set for text beyond ASCII.
   */
  readonly payload?: Buffer;
}

/** A stored batch with its position. */
export interface SpoolBatch extends SpoolBatchInput {
  /** Position in the log: increasing, never reused. */
  readonly position: number;
  /** When it was accepted, ms since the epoch. */
  readonly receivedAt: number;
}

/** Counters for /metrics and /readyz. */
export interface SpoolStats {
  /** Batches and events stored and not yet committed by detection. */
  readonly pendingBatches: number;
  readonly pendingEvents: number;
  /** Bytes the spool holds (committed batches kept for retention included). */
  readonly bytes: number;
  /** Position of the last batch appended and of the last one committed. */
  readonly head: number;
  readonly committed: number;
  /** Receive time of the oldest uncommitted batch (ms since epoch), if any. */
  readonly oldestPendingAt?: number;
}

/** The spool cannot take more (full, or the disk failed): the webhook answers 503. */
export class SpoolUnavailableError extends Error {
  override readonly name = 'SpoolUnavailableError';
  constructor(
    readonly code: 'SPOOL_FULL' | 'SPOOL_IO',
    message: string,
    /** Seconds after which the client should try again. */
    readonly retryAfter: number,
  ) {
    super(message);
  }
}

export interface Spool {
  /** Stores a batch durably; resolves with its position. Throws SpoolUnavailableError. */
  append(batch: SpoolBatchInput): Promise<number>;
  /** Up to `max` batches after `position`, oldest first. */
  read(after: number, max: number): Promise<SpoolBatch[]>;
  /**
   * Everything up to `position` is processed; it may be pruned after retention. `state`
   * (detection's correlation state) is committed atomically with the position: after a
   * crash, detection resumes from a position and the state that go together.
   */
  commit(position: number, state?: StateChanges): Promise<void>;
  /** The state committed with the position, as rows (empty before the first). */
  loadState(): Promise<[string, string][]>;
  /** The last committed position (0 before the first commit). */
  committed(): Promise<number>;
  /** Resolves once a batch after `position` exists, or when `signal` aborts. */
  waitFor(after: number, signal: AbortSignal): Promise<void>;
  /**
   * What another thread did to the same spool: the webhook appended up to `head` (wakes
   * this instance's readers at once instead of at their next poll), or detection
   * committed up to `committed` (this instance's pending counts and limits follow).
   */
  observe(progress: { readonly head?: number; readonly committed?: number }): void;
  /** Deletes committed batches past retention; returns how many. */
  prune(): Promise<number>;
  stats(): SpoolStats;
  /** Whether an append would be accepted now (not full, storage writable): /readyz. */
  writable(): boolean;
  close(): Promise<void>;
}
