import type { AuditRecord, Decoder } from '../events/index.ts';
import { createLineSkipper } from '../fastpath/index.ts';
import { defaultFieldRegistry } from '../fields/index.ts';
import { compileCondition } from '../lang/index.ts';
import type { RecordPrinter, RunStats } from '../outputs/index.ts';
import type { QueryCondition } from '../rules/index.ts';
import type { InputError, Source } from '../sources/index.ts';
import { streamRecords } from './pipeline.ts';

/** A query run: where events come from, what matches, how matches are printed. */
export interface QueryRunOptions {
  readonly source: Source;
  readonly decoder: Decoder;
  readonly query: QueryCondition;
  readonly printer: RecordPrinter;
  /** Skip lines that cannot match before parsing them (with the literal test). */
  readonly fastpath: boolean;
  /** Stop after this many matches; with `countsAll`, every match is still counted. */
  readonly limit?: number;
  /** The printer needs every match (grouped counts), so the limit does not stop reading. */
  readonly countsAll?: boolean;
  /** Flushes output after each batch; resolves when it can take more. */
  readonly flush: () => Promise<void>;
  /** True once output went away (`| head`). */
  readonly closed: () => boolean;
  /** Told about each input that cannot be read; the run goes on with the next one. */
  readonly onInputError?: (err: InputError) => void;
}

/** Runs a query over a source: decode, match the condition, print; returns the counts. */
export async function runQuery(opts: QueryRunOptions): Promise<RunStats & { matched: number }> {
  const { query, printer } = opts;
  const env = { registry: defaultFieldRegistry, source: query.source };
  const match = compileCondition(query.expr, env).fn;
  const skipLine =
    opts.fastpath && query.source === 'k8s_audit'
      ? createLineSkipper(
          [query.expr],
          { registry: defaultFieldRegistry, source: 'k8s_audit' },
          { literals: true },
        )
      : undefined;
  const limit = opts.limit ?? Number.POSITIVE_INFINITY;
  const stopAtLimit = opts.countsAll !== true;
  let matched = 0;
  const onRecord = (rec: AuditRecord): void => {
    if (stopAtLimit && matched >= limit) return;
    if (rec.source !== query.source || !match(rec)) return;
    matched++;
    printer.print(rec);
  };
  const run = await streamRecords({
    source: opts.source,
    decoder: opts.decoder,
    ...(skipLine ? { skipLine } : {}),
    ...(opts.onInputError !== undefined ? { onInputError: opts.onInputError } : {}),
    onRecord,
    onBatch: opts.flush,
    shouldStop: () => opts.closed() || (stopAtLimit && matched >= limit),
  });
  printer.finish();
  await opts.flush();
  return { ...run, matched };
}
