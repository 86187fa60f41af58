import { LineSplitter } from './line-splitter.ts';
import type { Chunk } from './plan-chunks.ts';
import { readInputs } from './read-inputs.ts';
import { readRange } from './read-range.ts';
import type { Source } from './source.ts';

/**
 * One chunk of a parallel scan: the lines of a byte range of a file, numbered from the
 * range's first line, or a whole gzip file (which cannot be split).
 */
export function createRangeSource(chunk: Chunk, maxLineBytes: number): Source {
  return {
    name: chunk.path,
    read: (ctx) =>
      chunk.gzip
        ? readInputs([chunk.path], { reject: ctx.reject, maxLineBytes })
        : readRange(
            chunk.path,
            chunk.start,
            chunk.end,
            new LineSplitter(chunk.path, maxLineBytes, ctx.reject, undefined, chunk.start === 0),
          ),
  };
}
