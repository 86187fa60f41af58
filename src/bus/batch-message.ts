import { createHash } from 'node:crypto';
import { headers, type MsgHdrs } from '@nats-io/transport-node';
import type { SpoolBatch, SpoolBatchInput } from '../spool/spool.ts';

const ORIGIN = 'Kaudit-Origin';
const CLUSTER = 'Kaudit-Cluster';
const RECEIVED = 'Kaudit-Received';
// Events are compact JSON (re-serialised at ingest), never holding a raw newline: the same
// framing as the SQLite spool.
const SEP = '\n';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The batch's id, JetStream's Nats-Msg-Id: a digest of its cluster and events. The
 * apiserver retries a batch with the same events, on the same or another serve replica,
 * and JetStream stores it once within its duplicate window; two different batches never
 * share an id, since every audit event has its own auditID and stage.
 */
export function batchId(batch: SpoolBatchInput): string {
  const h = createHash('sha256');
  h.update(batch.cluster ?? '');
  h.update('\u0000');
  // Each event with its length: no two lists of events hash the same text.
  for (const e of batch.events) {
    h.update(`${e.length}:`);
    h.update(e);
  }
  return h.digest('base64url');
}

/** A batch as a message: the events in the body, where it came from in headers. */
export function encodeBatch(
  batch: SpoolBatchInput,
  receivedAt: number,
): { data: Uint8Array; headers: MsgHdrs } {
  const h = headers();
  h.set(ORIGIN, batch.origin);
  if (batch.cluster !== undefined) h.set(CLUSTER, batch.cluster);
  h.set(RECEIVED, String(receivedAt));
  return { data: encoder.encode(batch.events.join(SEP)), headers: h };
}

/** A message read back as a batch; its position is its stream sequence. */
export function decodeBatch(m: {
  readonly data: Uint8Array;
  readonly headers: MsgHdrs | undefined;
  readonly seq: number;
}): SpoolBatch {
  const text = decoder.decode(m.data);
  const cluster = m.headers?.get(CLUSTER);
  return {
    position: m.seq,
    receivedAt: Number(m.headers?.get(RECEIVED) ?? 0),
    origin: m.headers?.get(ORIGIN) || 'bus',
    ...(cluster ? { cluster } : {}),
    events: text === '' ? [] : text.split(SEP),
  };
}
