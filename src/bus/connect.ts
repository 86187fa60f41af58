import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  BATCHES,
  BusError,
  type BusOptions,
  DETECT_CONSUMER,
  PARTITION_SUBJECT,
  partitionConsumer,
} from './bus-options.ts';

/** A connection to the bus, the stream ready. */
export interface Bus {
  readonly options: BusOptions;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  /** Whether the client is connected now (it reconnects on its own). */
  connected(): boolean;
  close(): Promise<void>;
}

const MS_TO_NS = 1_000_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Retries `fn` until it succeeds or `ms` pass: a cluster just started elects its
 * JetStream leader first, and a stream's leader moves when a node dies.
 */
export async function retrying<T>(what: string, ms: number, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) {
        throw new BusError('BUS_SETUP', `${what}: ${(err as Error).message}`);
      }
      await sleep(250);
    }
  }
}

/**
 * Connects to the bus (reconnecting for ever once connected) and creates the stream and
 * the consumers when missing, so that serve replicas and detect workers can start in any
 * order. A stream that exists keeps its configuration (its replicas, partitions).
 */
export async function connectBus(
  options: BusOptions,
  name: string,
  setupMs = 60_000,
): Promise<Bus> {
  let nc: NatsConnection;
  try {
    nc = await retrying('connect', setupMs, () =>
      connect({
        servers: [...options.servers],
        name,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
        // A batch of 400 events of 4 KiB is 1.6 MB: the server's default max_payload (1 MB)
        // is raised in deploy/; the client reads the server's value.
      }),
    );
  } catch (err) {
    throw new BusError(
      'BUS_CONNECT',
      `cannot connect to ${options.servers.join(',')}: ${(err as Error).message}`,
    );
  }
  // The client has no "is connected" call: it tells through its status stream.
  let up = true;
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect' || s.type === 'reconnecting') up = false;
      else if (s.type === 'reconnect') up = true;
    }
  })().catch(() => {});
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  await retrying('create the stream', setupMs, () => ensureStream(jsm, options));
  await retrying('create the consumers', setupMs, () => ensureConsumers(jsm, options));
  return {
    options,
    nc,
    js,
    jsm,
    connected: () => up && !nc.isClosed(),
    close: async () => {
      if (!nc.isClosed()) await nc.drain().catch(() => nc.close());
    },
  };
}

async function ensureStream(jsm: JetStreamManager, o: BusOptions): Promise<void> {
  try {
    await jsm.streams.info(o.stream);
    return;
  } catch (err) {
    if (!/not found/i.test((err as Error).message)) throw err;
  }
  await jsm.streams.add({
    name: o.stream,
    subjects: [`${o.prefix}.>`],
    storage: StorageType.File,
    num_replicas: o.replicas,
    retention: RetentionPolicy.Limits,
    // Full means refuse (503, the apiserver retries), never drop the oldest unprocessed.
    discard: DiscardPolicy.New,
    duplicate_window: o.duplicateWindowMs * MS_TO_NS,
    max_age: o.maxAgeMs * MS_TO_NS,
    max_bytes: o.maxBytes,
  });
}

async function ensureConsumers(jsm: JetStreamManager, o: BusOptions): Promise<void> {
  const have = new Set<string>();
  for await (const c of jsm.consumers.list(o.stream)) have.add(c.name);
  const base = {
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: o.ackWaitMs * MS_TO_NS,
    max_deliver: -1,
  };
  if (!have.has(DETECT_CONSUMER)) {
    await jsm.consumers.add(o.stream, {
      ...base,
      durable_name: DETECT_CONSUMER,
      filter_subject: BATCHES(o),
      max_ack_pending: 4096,
    });
  }
  for (let n = 0; n < o.partitions; n++) {
    if (have.has(partitionConsumer(n))) continue;
    // One message in flight per partition, whichever worker holds it: the partition's
    // matches are correlated in order, by one worker at a time (docs/distributed.md).
    await jsm.consumers.add(o.stream, {
      ...base,
      durable_name: partitionConsumer(n),
      filter_subject: PARTITION_SUBJECT(o, n),
      max_ack_pending: 1,
    });
  }
}
