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
 * The batch's events as the message body: the webhook's own bytes when it could keep them
 * (`payload`: ASCII events joined by newlines), else the strings joined and encoded.
 */
export function batchBody(batch: SpoolBatchInput): Uint8Array {
  return batch.payload ?? encoder.encode(batch.events.join(SEP));
}

/**
 * The batch's id, JetStream's Nats-Msg-Id: a digest of its cluster and its body. The
 * apiserver retries a batch with the same events, on the same or another serve replica,
 * and JetStream stores it once within its duplicate window; two different batches never
 * share an id, since every audit event has its own auditID and stage (and events, compact
 * JSON, never hold a raw newline, so the framing is unambiguous).
 */
export function batchId(batch: SpoolBatchInput, body: Uint8Array = batchBody(batch)): string {
  return createHash('sha256')
    .update(batch.cluster ?? '')
    .update('\u0000')
    .update(body)
    .digest('base64url');
}

/** A batch as a message: the events in the body, where it came from in headers. */
export function encodeBatch(
  batch: SpoolBatchInput,
  receivedAt: number,
): { data: Uint8Array; headers: MsgHdrs; id: string } {
  const h = headers();
  h.set(ORIGIN, batch.origin);
  if (batch.cluster !== undefined) h.set(CLUSTER, batch.cluster);
  h.set(RECEIVED, String(receivedAt));
  const data = batchBody(batch);
  return { data, headers: h, id: batchId(batch, data) };
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
