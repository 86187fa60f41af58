import { toMessageParts } from '../engine/index.ts';
import type { AuditRecord, EventSource } from '../events/index.ts';
import { defaultFieldRegistry } from '../fields/index.ts';
import {
  type CompiledOutput,
  compileOutputFormat,
  type OutputSegment,
  parseOutputFormat,
} from '../lang/index.ts';
import { hasControls, renderEscaped } from './escape-text.ts';
import type { LineWriter } from './line-writer.ts';
import { formatCsvRow, formatTable } from './table.ts';

/** How `kaudit query` prints what matched. */
export type PrintSpec =
  | { readonly kind: 'count' }
  | {
      readonly kind: 'count-by';
      readonly fields: readonly string[];
      readonly format: 'table' | 'csv' | 'json';
      /** Largest groups shown (all by default). */
      readonly limit?: number;
    }
  | {
      readonly kind: 'template';
      readonly template: string;
      /** Field values as they are, control characters included (escaped by default). */
      readonly rawFields?: boolean;
    }
  | {
      readonly kind: 'rows';
      readonly fields: readonly string[];
      /** json: one object of the fields per line (absent: null, lists: arrays). */
      readonly format: 'csv' | 'table' | 'json';
    }
  | { readonly kind: 'events' };

/** Prints matched records as they come, and what only the end can tell in `finish`. */
export interface RecordPrinter {
  print(rec: AuditRecord): void;
  finish(): void;
}

/** An output template or field list that does not compile (`%ka.nope`). */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  readonly code = 'BAD_TEMPLATE';
}

const SEP = '\u0000';

function compileTemplate(text: string, source: EventSource): CompiledOutput {
  const env = { registry: defaultFieldRegistry, source };
  try {
    return compileOutputFormat(parseOutputFormat(text, env), env);
  } catch (err) {
    throw new TemplateError(`bad output template: ${(err as Error).message}`);
  }
}

/**
 * A `-o` template as a line renderer: each field value escaped (escapeControls), the
 * user's own text as written, so that an event cannot forge lines or drive a terminal.
 */
function compileEscapedTemplate(
  text: string,
  source: EventSource,
  raw: boolean,
): (r: AuditRecord) => string {
  const env = { registry: defaultFieldRegistry, source };
  let segments: OutputSegment[];
  let tpl: CompiledOutput;
  try {
    segments = parseOutputFormat(text, env);
    tpl = compileOutputFormat(segments, env);
  } catch (err) {
    throw new TemplateError(`bad output template: ${(err as Error).message}`);
  }
  if (raw) return (r) => tpl.text(r);
  const parts = toMessageParts(segments);
  return (r) => {
    const message = tpl.text(r);
    if (!hasControls(message)) return message;
    return renderEscaped(parts, tpl.fields(r));
  };
}

/**
 * The fields' values for JSON and CSV: absent is null, a list stays a list (the table's
 * `<NA>` and `(a,b)` are Falco's text forms, not data).
 */
function compileValues(
  fields: readonly string[],
  source: EventSource,
): (r: AuditRecord) => Record<string, string | readonly string[] | null> {
  const tpl = compileTemplate(fields.map((f) => `%${f}`).join(SEP), source);
  return (r) => tpl.fields(r);
}

/** A CSV cell of a value: absent is empty, a list is its JSON array. */
function csvValue(v: string | readonly string[] | null | undefined): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The fields as one template whose text splits back into cells. */
function compileCells(
  fields: readonly string[],
  source: EventSource,
): (r: AuditRecord) => string[] {
  const tpl = compileTemplate(fields.map((f) => `%${f}`).join(SEP), source);
  return (r) => tpl.text(r).split(SEP);
}

function countBy(
  spec: Extract<PrintSpec, { kind: 'count-by' }>,
  source: EventSource,
  out: LineWriter,
): RecordPrinter {
  const tpl = compileTemplate(spec.fields.map((f) => `%${f}`).join(SEP), source);
  const groups = new Map<string, number>();
  return {
    print(rec) {
      const key = tpl.text(rec);
      groups.set(key, (groups.get(key) ?? 0) + 1);
    },
    finish() {
      const sorted = [...groups].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      const top = sorted.slice(0, spec.limit ?? sorted.length);
      const rows = top.map(([k, n]) => [String(n), ...k.split(SEP)]);
      const header = ['count', ...spec.fields];
      if (spec.format === 'json') {
        for (const r of rows) {
          const obj: Record<string, unknown> = { count: Number(r[0]) };
          spec.fields.forEach((f, i) => {
            obj[f] = r[i + 1];
          });
          out.line(JSON.stringify(obj));
        }
      } else if (spec.format === 'csv') {
        out.line(formatCsvRow(header));
        for (const r of rows) out.line(formatCsvRow(r));
      } else {
        out.line(formatTable(header, rows));
      }
    },
  };
}

/**
 * Builds the printer for a spec. Every cell is event text: tables escape control
 * characters and CSV guards formula cells (see table.ts). Throws TemplateError for a
 * template or field list that does not compile.
 */
export function createRecordPrinter(
  spec: PrintSpec,
  source: EventSource,
  out: LineWriter,
): RecordPrinter {
  switch (spec.kind) {
    case 'count': {
      let n = 0;
      return { print: () => void n++, finish: () => out.line(String(n)) };
    }
    case 'count-by':
      return countBy(spec, source, out);
    case 'template': {
      const line = compileEscapedTemplate(spec.template, source, spec.rawFields === true);
      return { print: (rec) => out.line(line(rec)), finish() {} };
    }
    case 'rows': {
      if (spec.format !== 'table') {
        const values = compileValues(spec.fields, source);
        if (spec.format === 'json') {
          return { print: (rec) => out.line(JSON.stringify(values(rec))), finish() {} };
        }
        out.line(formatCsvRow(spec.fields));
        const row = (rec: AuditRecord): string[] => {
          const v = values(rec);
          return spec.fields.map((f) => csvValue(v[f]));
        };
        return { print: (rec) => out.line(formatCsvRow(row(rec))), finish() {} };
      }
      const cells = compileCells(spec.fields, source);
      const rows: string[][] = [];
      return {
        print: (rec) => void rows.push(cells(rec)),
        finish: () => out.line(formatTable(spec.fields, rows)),
      };
    }
    case 'events':
      return { print: (rec) => out.line(JSON.stringify(rec.obj)), finish() {} };
  }
}
