import { toInputError } from './input-error.ts';
import { LineSplitter } from './line-splitter.ts';
import type { Chunk } from './plan-chunks.ts';
import { readInputs } from './read-inputs.ts';
import { readRange } from './read-range.ts';
import type { Source, SourceContext } from './source.ts';

/** The lines of a byte range; a read failure goes to the context's reporter, if any. */
function* readReporting(chunk: Chunk, maxLineBytes: number, ctx: SourceContext) {
  const splitter = new LineSplitter(
    chunk.path,
    maxLineBytes,
    ctx.reject,
    undefined,
    chunk.start === 0,
  );
  try {
    yield* readRange(chunk.path, chunk.start, chunk.end, splitter);
  } catch (err) {
    // The file vanished after the scan was planned, or a read failed (EIO).
    const e = toInputError(err, chunk.path);
    if (ctx.onInputError === undefined) throw e;
    ctx.onInputError(e);
  }
}

/**
 * One chunk of a parallel scan: the lines of a byte range of a file, numbered from the
 * range's first line, or a whole gzip file (which cannot be split).
 */
export function createRangeSource(chunk: Chunk, maxLineBytes: number): Source {
  return {
    name: chunk.path,
    read: (ctx) =>
      chunk.gzip
        ? readInputs([chunk.path], {
            reject: ctx.reject,
            maxLineBytes,
            ...(ctx.onInputError !== undefined ? { onInputError: ctx.onInputError } : {}),
          })
        : readReporting(chunk, maxLineBytes, ctx),
  };
}
