import { formatIsoTimeNs } from '../outputs/index.ts';
import { parseStoredCorrelation, priorityOfRank } from './alert-row.ts';
import { type StoredAlert, StoreError } from './store.ts';

/** Columns of `alerts` that a StoredAlert is read from, in both schemas. */
export const ALERT_COLUMNS =
  'id, time_ns, priority, rule, source, tags, hostname, cluster, output, message, ' +
  'output_fields, namespace, user_name, verb, resource, name, audit_id, stage, source_ip, ' +
  'user_agent, response_code, redacted, correlation';

/** A row as the drivers return it: SQLite gives bigint/number, PostgreSQL string/boolean. */
export interface DbAlertRow {
  readonly id: bigint | number | string;
  readonly time_ns: bigint | number | string;
  readonly priority: bigint | number;
  readonly rule: string;
  readonly source: string;
  /** SQLite: JSON text; PostgreSQL: text[]. */
  readonly tags: string | string[];
  readonly hostname: string;
  readonly cluster: string | null;
  readonly output: string;
  readonly message: string;
  readonly output_fields: string;
  readonly namespace: string | null;
  readonly user_name: string | null;
  readonly verb: string | null;
  readonly resource: string | null;
  readonly name: string | null;
  readonly audit_id: string | null;
  readonly stage: string | null;
  readonly source_ip: string | null;
  readonly user_agent: string | null;
  readonly response_code: bigint | number | null;
  readonly redacted: bigint | number | boolean;
  /** JSON text of a StoredCorrelation, or null. */
  readonly correlation: string | null;
}

/** The API shape of a database row. */
export function fromDbRow(r: DbAlertRow): StoredAlert {
  const timeNs = String(r.time_ns);
  return {
    id: String(r.id),
    time: formatIsoTimeNs(timeNs),
    timeNs,
    rule: r.rule,
    priority: priorityOfRank(Number(r.priority)),
    source: r.source,
    tags: typeof r.tags === 'string' ? (JSON.parse(r.tags) as string[]) : r.tags,
    hostname: r.hostname,
    cluster: r.cluster,
    output: r.output,
    message: r.message,
    outputFields: JSON.parse(r.output_fields) as StoredAlert['outputFields'],
    namespace: r.namespace,
    user: r.user_name,
    verb: r.verb,
    resource: r.resource,
    name: r.name,
    auditId: r.audit_id,
    stage: r.stage,
    sourceIp: r.source_ip,
    userAgent: r.user_agent,
    responseCode: r.response_code === null ? null : Number(r.response_code),
    redacted: r.redacted === true || Number(r.redacted) === 1,
    correlation: parseStoredCorrelation(r.correlation),
  };
}

/** Opaque page cursor: the (time, id) of the last alert of a page. */
export function encodeCursor(timeNs: string, id: string): string {
  return Buffer.from(`${timeNs}:${id}`).toString('base64url');
}

const CURSOR = /^(\d{1,19}):(\d{1,19})$/;

export function decodeCursor(cursor: string): { timeNs: bigint; id: bigint } {
  const m = cursor.length <= 64 ? CURSOR.exec(Buffer.from(cursor, 'base64url').toString()) : null;
  if (m === null) throw new StoreError('bad_cursor', 'cursor: not one this server returned');
  return { timeNs: BigInt(m[1] as string), id: BigInt(m[2] as string) };
}

export const LIMIT_DEFAULT = 50;
export const LIMIT_MAX = 500;

/** A page size from 1 to LIMIT_MAX. */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return LIMIT_DEFAULT;
  if (!Number.isInteger(limit) || limit < 1 || limit > LIMIT_MAX) {
    throw new StoreError('bad_filter', `limit: expected an integer from 1 to ${LIMIT_MAX}`);
  }
  return limit;
}

/** The page and its `next` cursor from `limit + 1` rows. */
export function toPage(
  rows: readonly DbAlertRow[],
  limit: number,
): { items: StoredAlert[]; next: string | null } {
  const items = rows.slice(0, limit).map(fromDbRow);
  const last = items[items.length - 1];
  return {
    items,
    next: rows.length > limit && last !== undefined ? encodeCursor(last.timeNs, last.id) : null,
  };
}
