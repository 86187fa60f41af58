import type { RejectFn } from '../events/index.ts';
import type { LineBatch } from './line-splitter.ts';

/**
 * Whether a line opens a pretty-printed JSON document: `{` or `[` alone, as `aws logs
 * filter-log-events`, `gcloud logging read --format=json`, `jq .` and `kubectl get -o
 * json` print them. A JSON-lines log never has such a line (each line is a whole value).
 */
export function opensDocument(line: string): boolean {
  const t = line.trim();
  return t === '{' || t === '[';
}

/**
 * The batches of one input, with a pretty-printed JSON document joined into one line:
 * when the first non-blank line opens a document, every line of the input is part of
 * it and the decoder gets the whole text (an EventList, an array, a CloudWatch export)
 * as one payload, numbered from its first line. A document is held whole, so it is
 * bounded by the line limit (`--max-line-size`); over it, it is reported as
 * line_too_long and dropped. Any other input passes through untouched, batch by batch:
 * a JSON-lines log is never held whole.
 */
export async function* joinJsonDocument(
  batches: AsyncIterable<LineBatch>,
  maxBytes: number,
  reject: RejectFn,
): AsyncGenerator<LineBatch> {
  let decided = false;
  let doc: { origin: string; firstLine: number; parts: string[]; size: number } | undefined;
  let bytes = 0;
  let over = false;
  for await (const b of batches) {
    if (!decided) {
      const i = b.lines.findIndex((l) => l.trim() !== '');
      if (i === -1) {
        yield b;
        continue;
      }
      decided = true;
      if (!opensDocument(b.lines[i] as string) || b.items !== undefined) {
        yield b;
        continue;
      }
      doc = { origin: b.origin, firstLine: b.firstLine + i, parts: [], size: 0 };
      bytes = b.bytes;
      add(b.lines.slice(i));
      continue;
    }
    if (doc === undefined) {
      yield b;
      continue;
    }
    bytes += b.bytes;
    add(b.lines);
  }
  if (doc === undefined) return;
  if (over) {
    reject(
      'line_too_long',
      doc.origin,
      doc.firstLine,
      `JSON document over ${maxBytes} bytes (raise --max-line-size to read it)`,
    );
    yield { origin: doc.origin, firstLine: doc.firstLine, lines: [], bytes };
    return;
  }
  yield { origin: doc.origin, firstLine: doc.firstLine, lines: [doc.parts.join('\n')], bytes };

  function add(lines: readonly string[]): void {
    if (over || doc === undefined) return;
    for (const l of lines) {
      doc.size += l.length + 1;
      if (doc.size > maxBytes) {
        over = true;
        doc.parts = [];
        return;
      }
      doc.parts.push(l);
    }
  }
}
