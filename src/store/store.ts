import type { Alert } from '../engine/index.ts';
import type { Priority } from '../rules/index.ts';

/**
 * The alert store: where `kaudit serve` and `kaudit scan --store` keep alerts for the API
 * and the UI. Two implementations pass one conformance suite (tests/store/): SQLite, the
 * embedded default (sqlite-store.ts), and PostgreSQL for teams and replicas
 * (postgres-store.ts). `openAlertStore()` (open.ts) picks one from a spec.
 */
export interface AlertStore extends AsyncDisposable {
  /** `sqlite` or `postgres`. */
  readonly kind: StoreKind;
  /**
   * Stores alerts in one transaction. Idempotent on (auditID, stage, rule): an alert whose
   * event carries an auditID already stored with that stage and rule is counted as a
   * duplicate and not stored again.
   */
  insert(alerts: readonly Alert[]): Promise<InsertResult>;
  /** Newest first (time, then id, descending); `next` is null on the last page. */
  list(filter: AlertFilter, page?: PageOptions): Promise<AlertPage>;
  /** One alert with its stored event; undefined when there is none with that id. */
  get(id: string): Promise<StoredAlertWithEvent | undefined>;
  /** Totals per key and per time bucket. */
  counts(filter: AlertFilter, options: CountsOptions): Promise<CountsResult>;
  /** Every matching alert, newest first, read in pages (never loaded whole). */
  export(filter: AlertFilter): AsyncIterable<StoredAlert>;
  /** Deletes matching alerts (an empty filter deletes all); returns how many. */
  delete(filter: AlertFilter): Promise<number>;
  /** Retention: deletes the oldest alerts past an age or a row count, in bounded batches. */
  prune(options: PruneOptions): Promise<number>;
  /**
   * Calls `listener` with alerts as they are stored, in every process that shares the
   * store (PostgreSQL: LISTEN/NOTIFY). Returns the unsubscribe function.
   */
  subscribe(listener: AlertListener): () => void;
  /** The schema version the store is at after its migrations ran. */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}

export type StoreKind = 'sqlite' | 'postgres';

export type AlertListener = (alert: StoredAlert) => void;

export interface InsertResult {
  readonly inserted: number;
  readonly duplicates: number;
}

/** What an alert list, count, export or delete selects. Absent keys select everything. */
export interface AlertFilter {
  /** Inclusive lower bound: RFC 3339 (any fraction) or decimal ns since the epoch. */
  readonly from?: string;
  /** Exclusive upper bound, same forms as `from`. */
  readonly to?: string;
  /** This priority and the more severe ones. */
  readonly minPriority?: Priority;
  /** Any of these rule names (exact). */
  readonly rule?: readonly string[];
  readonly source?: string;
  /** Alerts carrying this tag. */
  readonly tag?: string;
  readonly cluster?: string;
  readonly namespace?: string;
  readonly user?: string;
  readonly verb?: string;
  /** `pods`, or `pods/exec` for a subresource. */
  readonly resource?: string;
  /** Case-insensitive substring of the output or a denormalised column. */
  readonly text?: string;
}

export interface PageOptions {
  /** 1 to 500; default 50. */
  readonly limit?: number;
  /** `next` of the previous page. */
  readonly cursor?: string;
}

export interface AlertPage {
  readonly items: readonly StoredAlert[];
  readonly next: string | null;
}

export type CountKey = 'priority' | 'rule' | 'user' | 'namespace';

export interface CountsOptions {
  readonly by: CountKey;
  /** Bucket width; default: the range split into about 60 buckets, at least 1 s. */
  readonly bucketMs?: number;
  /** How many keys to report, largest first (default 10, at most 100). */
  readonly limit?: number;
}

export interface CountsResult {
  readonly by: CountKey;
  readonly bucketMs: number;
  /** RFC 3339 bounds the buckets cover. */
  readonly from: string;
  readonly to: string;
  /** Largest first; the keys kept (at most `limit`). A null key is reported as "". */
  readonly totals: readonly { readonly key: string; readonly count: number }[];
  /** Ascending by time; only non-empty buckets; counts of the kept keys only. */
  readonly buckets: readonly {
    readonly t: string;
    readonly counts: Readonly<Record<string, number>>;
  }[];
}

export interface PruneOptions {
  /** Delete alerts older than this (by event time). */
  readonly maxAgeMs?: number;
  /** Keep at most this many alerts (the newest). */
  readonly maxRows?: number;
  /**
   * Keep about this many bytes of alerts (the newest), estimated from the average row
   * size. SQLite reuses the freed pages: the file stops growing rather than shrinks.
   */
  readonly maxBytes?: number;
  /** Rows deleted per statement (default 5000): inserts wait at most one batch. */
  readonly batchSize?: number;
  /** The clock for `maxAgeMs` (ms since the epoch); default Date.now(). */
  readonly nowMs?: number;
}

/** An alert as the API returns it (see /work/brief/alerts-api.md). */
export interface StoredAlert {
  readonly id: string;
  readonly time: string;
  readonly timeNs: string;
  readonly rule: string;
  readonly priority: Priority;
  readonly source: string;
  readonly tags: readonly string[];
  readonly hostname: string;
  readonly cluster: string | null;
  readonly output: string;
  readonly message: string;
  readonly outputFields: Readonly<Record<string, string | readonly string[] | null>>;
  readonly namespace: string | null;
  readonly user: string | null;
  readonly verb: string | null;
  readonly resource: string | null;
  readonly name: string | null;
  readonly auditId: string | null;
  readonly stage: string | null;
  readonly sourceIp: string | null;
  readonly userAgent: string | null;
  readonly responseCode: number | null;
  readonly redacted: boolean;
  /** What a correlated rule's alert stands for; null for an alert of one event. */
  readonly correlation: StoredCorrelation | null;
}

/**
 * A correlated alert's events (docs/correlation.md): how many (events, distinct values,
 * steps, or on a suppression summary the alerts held back), the window, the group key
 * (term label to value) and the auditIDs of the events that made it (the newest 64).
 */
export interface StoredCorrelation {
  readonly count: number;
  readonly windowMs: number;
  readonly group: Readonly<Record<string, string>>;
  readonly auditIds: readonly string[];
  /** On the alert that closes a suppression window: how many alerts it held back. */
  readonly suppressed?: number;
}

export interface StoredAlertWithEvent extends StoredAlert {
  /** The event, managedFields stripped and Secret data values redacted; null if not kept. */
  readonly event: object | null;
}

/** A store failure the caller can act on; `code` says which. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type StoreErrorCode =
  | 'bad_filter'
  | 'bad_cursor'
  | 'bad_spec'
  | 'schema_too_new'
  | 'closed'
  | 'unavailable';
