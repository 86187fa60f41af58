/**
 * How kaudit uses NATS JetStream (docs/distributed.md): one stream holds the accepted
 * webhook batches (`<prefix>.batches`) and the correlation step matches, partitioned by
 * group key (`<prefix>.corr.<n>`). Every process of a deployment must agree on these.
 */
export interface BusOptions {
  /** `nats://host:port`, several separated by commas (any node of the cluster). */
  readonly servers: readonly string[];
  /** Stream name (default KAUDIT). */
  readonly stream: string;
  /** Subject prefix (default kaudit). */
  readonly prefix: string;
  /** Stream replicas: 3 on a cluster of three (default 1 when one server is given). */
  readonly replicas: number;
  /** Correlation partitions (default 8): fixed for the life of the stream. */
  readonly partitions: number;
  /** How long a worker may hold a message before JetStream gives it to another (ms). */
  readonly ackWaitMs: number;
  /** JetStream's duplicate window: a batch sent again within it is stored once (ms). */
  readonly duplicateWindowMs: number;
  /** How long accepted batches are kept (ms; default 24 h). */
  readonly maxAgeMs: number;
  /** Stream size at which publishes are refused (bytes; default 1 GiB): every node needs that much room per replica. */
  readonly maxBytes: number;
}

/** The durable consumer every detect worker shares for batches. */
export const DETECT_CONSUMER = 'kaudit-detect';

/** The durable consumer of correlation partition `n`. */
export function partitionConsumer(n: number): string {
  return `kaudit-corr-${n}`;
}

export const BATCHES = (o: BusOptions): string => `${o.prefix}.batches`;
export const PARTITION_SUBJECT = (o: BusOptions, n: number): string => `${o.prefix}.corr.${n}`;

/** A bus spec the flags gave: `nats://a:4222,nats://b:4222`. */
export function parseBusUrl(spec: string): string[] {
  const servers = spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const s of servers) {
    if (!/^(nats|tls):\/\/[^/\s]+\/?$/.test(s)) {
      throw new BusError(
        'BUS_SPEC',
        `--bus: expected nats://HOST:PORT[,nats://HOST:PORT...], got ${JSON.stringify(s)}`,
      );
    }
  }
  if (servers.length === 0) throw new BusError('BUS_SPEC', '--bus: no server given');
  return servers;
}

/** Defaults for everything but the servers. */
export function busOptions(servers: readonly string[], more: Partial<BusOptions> = {}): BusOptions {
  return {
    servers,
    stream: 'KAUDIT',
    prefix: 'kaudit',
    replicas: servers.length >= 3 ? 3 : 1,
    partitions: 8,
    ackWaitMs: 30_000,
    duplicateWindowMs: 120_000,
    maxAgeMs: 24 * 3600_000,
    maxBytes: 1024 ** 3,
    ...more,
  };
}

/** A bus failure with a code: BUS_SPEC (bad flag), BUS_CONNECT, BUS_SETUP. */
export class BusError extends Error {
  override readonly name = 'BusError';
  constructor(
    readonly code: 'BUS_SPEC' | 'BUS_CONNECT' | 'BUS_SETUP',
    message: string,
  ) {
    super(message);
  }
}
