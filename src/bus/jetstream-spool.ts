import type { Spool, SpoolBatch, SpoolBatchInput, SpoolStats } from '../spool/spool.ts';
import { SpoolUnavailableError } from '../spool/spool.ts';
import { decodeBatch, encodeBatch } from './batch-message.ts';
import { BATCHES, DETECT_CONSUMER } from './bus-options.ts';
import type { Bus } from './connect.ts';

/** Options of the JetStream spool. */
export interface JetStreamSpoolOptions {
  /** How long a publish waits for JetStream's acknowledgement (ms; default 10 s). */
  readonly publishTimeoutMs?: number;
  /** Seconds a refused client is asked to wait (Retry-After). */
  readonly retryAfter?: number;
  /** How often the stream and consumer counters are read (ms; default 2 s). */
  readonly statsEveryMs?: number;
  /** Told about each publish: its time to JetStream's ack, and whether it was a duplicate. */
  readonly onPublish?: (ms: number, duplicate: boolean) => void;
  readonly now?: () => number;
}

/**
 * The spool on NATS JetStream (`kaudit serve --bus`): `append` publishes the batch to the
 * stream and resolves only once JetStream acknowledged it, i.e. once the stream's replicas
 * (a majority of them) have it on disk; the webhook answers 200 after that. The batch's id
 * (a digest of its events) is the message id, so a batch the apiserver retries, on this
 * replica or another, is stored once within the duplicate window.
 *
 * Detection does not read through this object: detect workers pull the stream through a
 * shared durable consumer and acknowledge each message (src/bus/detect/). `read` serves
 * inspection and tests; `committed` is that consumer's acknowledgement floor; `commit` and
 * `loadState` belong to the embedded spool's single reader and refuse here, since
 * correlation state lives in PostgreSQL per partition (docs/distributed.md).
 */
export function createJetStreamSpool(bus: Bus, opts: JetStreamSpoolOptions = {}): Spool {
  const o = bus.options;
  const subject = BATCHES(o);
  const timeout = opts.publishTimeoutMs ?? 10_000;
  const retryAfter = opts.retryAfter ?? 5;
  const now = opts.now ?? Date.now;
  let stats: SpoolStats = { pendingBatches: 0, pendingEvents: 0, bytes: 0, head: 0, committed: 0 };
  let failing: string | undefined;
  let full = false;
  let closed = false;

  const refresh = async (): Promise<void> => {
    const [si, ci] = await Promise.all([
      bus.jsm.streams.info(o.stream),
      bus.jsm.consumers.info(o.stream, DETECT_CONSUMER),
    ]);
    const pending = ci.num_pending + ci.num_ack_pending;
    // The stream answered: a publish that failed before (a leader moving) no longer counts.
    failing = undefined;
    full = si.config.max_bytes > 0 && si.state.bytes >= si.config.max_bytes;
    stats = {
      pendingBatches: pending,
      // The bus counts messages, not events: a batch is counted as one.
      pendingEvents: pending,
      bytes: si.state.bytes,
      head: si.state.last_seq,
      committed: ci.ack_floor.stream_seq,
    };
  };
  const timer = setInterval(() => {
    refresh().catch(() => {});
  }, opts.statsEveryMs ?? 2_000);
  timer.unref();
  void refresh().catch(() => {});

  // Room for the headers and the subject in a message of the server's max_payload.
  const maxPayload = (): number => (bus.nc.info?.max_payload ?? 1024 * 1024) - 4096;
  const publishOne = async (batch: SpoolBatchInput): Promise<number> => {
    const { data, headers, id } = encodeBatch(batch, now());
    const started = performance.now();
    try {
      const ack = await bus.js.publish(subject, data, { msgID: id, headers, timeout });
      failing = undefined;
      opts.onPublish?.(performance.now() - started, ack.duplicate);
      return ack.seq;
    } catch (err) {
      const message = (err as Error).message;
      // JetStream refuses with "maximum bytes exceeded" when the stream is full
      // (discard: new); anything else (no leader, timeout, no connection) is the bus.
      if (/maximum (bytes|messages)|insufficient resources/i.test(message)) {
        full = true;
        throw new SpoolUnavailableError('SPOOL_FULL', `bus stream full: ${message}`, retryAfter);
      }
      failing = message;
      throw new SpoolUnavailableError('SPOOL_IO', `bus publish failed: ${message}`, retryAfter);
    }
  };

  return {
    async append(batch) {
      if (closed)
        throw new SpoolUnavailableError('SPOOL_IO', 'the bus spool is closed', retryAfter);
      // A batch over the server's max_payload goes as several messages, split the same
      // way every time, so a retried batch maps to the same ids: the parts stored before a
      // failure are duplicates the second time, the others are stored.
      let position = 0;
      for (const part of splitForPayload(batch, maxPayload())) {
        position = await publishOne(part);
      }
      return position;
    },
    async read(after, max) {
      const out: SpoolBatch[] = [];
      const last = (await bus.jsm.streams.info(o.stream)).state.last_seq;
      for (let seq = after + 1; seq <= last && out.length < max; seq++) {
        const m = await bus.jsm.streams.getMessage(o.stream, { seq }).catch(() => null);
        if (m === null || m.subject !== subject) continue;
        out.push(decodeBatch({ data: m.data, headers: m.header, seq: m.seq }));
      }
      return out;
    },
    commit() {
      return Promise.reject(
        new Error(
          'BUS_COMMIT: detect workers acknowledge bus messages one by one; there is no position to commit',
        ),
      );
    },
    async loadState() {
      return [];
    },
    async committed() {
      await refresh().catch(() => {});
      return stats.committed;
    },
    async waitFor(after, signal) {
      while (!signal.aborted && stats.head <= after) {
        await new Promise((r) => setTimeout(r, 200));
        await refresh().catch(() => {});
      }
    },
    observe() {},
    async prune() {
      // The stream's max_age and max_bytes prune it, on the server.
      return 0;
    },
    stats: () => stats,
    writable: () => !closed && bus.connected() && failing === undefined && !full,
    async close() {
      closed = true;
      clearInterval(timer);
    },
  };
}

/**
 * The batch as parts whose bodies fit in `limit` bytes (one part when it fits): events in
 * order, cut between events. An event alone over the limit is a part of its own, which
 * the server refuses (a 503 naming max_payload: raise it, or lower --max-event-size).
 */
export function splitForPayload(batch: SpoolBatchInput, limit: number): SpoolBatchInput[] {
  const whole =
    batch.payload?.length ?? batch.events.reduce((n, e) => n + Buffer.byteLength(e) + 1, 0);
  if (whole <= limit) return [batch];
  const { payload: _p, ...base } = batch;
  const parts: SpoolBatchInput[] = [];
  let events: string[] = [];
  let size = 0;
  for (const e of batch.events) {
    const n = Buffer.byteLength(e) + 1;
    if (events.length > 0 && size + n > limit) {
      parts.push({ ...base, events });
      events = [];
      size = 0;
    }
    events.push(e);
    size += n;
  }
  if (events.length > 0) parts.push({ ...base, events });
  return parts;
}
