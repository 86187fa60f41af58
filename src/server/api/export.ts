import { Readable } from 'node:stream';
import { formatCsvRow } from '../../outputs/index.ts';
import type { AlertFilter, AlertStore, StoredAlert } from '../../store/index.ts';

export type ExportFormat = 'csv' | 'ndjson';

/** CSV columns, in order: the denormalised columns first, the output line last. */
const CSV_COLUMNS: readonly (keyof StoredAlert)[] = [
  'time',
  'priority',
  'rule',
  'source',
  'cluster',
  'namespace',
  'user',
  'verb',
  'resource',
  'name',
  'sourceIp',
  'userAgent',
  'responseCode',
  'auditId',
  'stage',
  'tags',
  'hostname',
  'redacted',
  'id',
  'output',
];

function csvValue(v: StoredAlert[keyof StoredAlert]): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.join(' ');
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** One CSV line (CRLF, RFC 4180), every cell guarded against spreadsheet formulas. */
export function formatCsvAlert(a: StoredAlert): string {
  return `${formatCsvRow(CSV_COLUMNS.map((k) => csvValue(a[k])))}\r\n`;
}

export const CSV_HEADER = `${formatCsvRow(CSV_COLUMNS.map(String))}\r\n`;

/** Lines written per chunk: one write per alert would cost more than the formatting. */
const LINES_PER_CHUNK = 200;

/** The export as a byte stream, read page by page from the store as the client reads. */
export function createExportStream(
  store: AlertStore,
  filter: AlertFilter,
  format: ExportFormat,
): Readable {
  const line = format === 'csv' ? formatCsvAlert : (a: StoredAlert) => `${JSON.stringify(a)}\n`;
  async function* chunks(): AsyncGenerator<string> {
    let chunk = format === 'csv' ? CSV_HEADER : '';
    let n = 0;
    for await (const a of store.export(filter)) {
      chunk += line(a);
      if (++n % LINES_PER_CHUNK === 0) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk !== '') yield chunk;
  }
  return Readable.from(chunks(), { objectMode: false });
}
