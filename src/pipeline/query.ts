import type { AuditRecord, Decoder } from '../events/index.ts';
import { createLineSkipper } from '../fastpath/index.ts';
import { defaultFieldRegistry } from '../fields/index.ts';
import { compileCondition } from '../lang/index.ts';
import type { RecordPrinter, RunStats } from '../outputs/index.ts';
import type { QueryCondition } from '../rules/index.ts';
import type { InputError, Source } from '../sources/index.ts';
import { streamRecords } from './pipeline.ts';
import { narrowCondition, type QueryNarrowing } from './query-narrowing.ts';
import { createSortedMatches } from './sorted-matches.ts';

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
  /** `--since`, `--until`, `--final`: joined to the condition, so the fast path sees them. */
  readonly narrowing?: QueryNarrowing;
  /** `--sort time`: print in event-time order (newest first with `reverse`), then limit. */
  readonly sort?: { readonly reverse: boolean };
}

/** Runs a query over a source: decode, match the condition, print; returns the counts. */
export async function runQuery(opts: QueryRunOptions): Promise<RunStats & { matched: number }> {
  const { query, printer } = opts;
  const env = { registry: defaultFieldRegistry, source: query.source };
  const expr =
    opts.narrowing === undefined ? query.expr : narrowCondition(query.expr, opts.narrowing);
  const match = compileCondition(expr, env).fn;
  const skipLine =
    opts.fastpath && query.source === 'k8s_audit'
      ? createLineSkipper(
          [expr],
          { registry: defaultFieldRegistry, source: 'k8s_audit' },
          { literals: true },
        )
      : undefined;
  const limit = opts.limit ?? Number.POSITIVE_INFINITY;
  // Sorted, the first matches read are not the first printed: every match is read.
  const sorted =
    opts.sort === undefined
      ? undefined
      : createSortedMatches({ reverse: opts.sort.reverse, ...(opts.countsAll ? {} : { limit }) });
  const stopAtLimit = opts.countsAll !== true && sorted === undefined;
  let matched = 0;
  const onRecord = (rec: AuditRecord): void => {
    if (stopAtLimit && matched >= limit) return;
    if (rec.source !== query.source || !match(rec)) return;
    matched++;
    if (sorted === undefined) printer.print(rec);
    else sorted.add(rec);
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
  if (sorted !== undefined) {
    for (const rec of sorted.take()) printer.print(rec);
  }
  printer.finish();
  await opts.flush();
  return { ...run, matched: sorted === undefined ? matched : Math.min(matched, limit) };
}
