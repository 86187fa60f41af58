/** Longest part of a stderr line kept; the rest is skipped up to the next newline. */
const MAX_LINE = 1000;

/**
 * Splits what a child writes on stderr into lines and passes each (cut to 1,000
 * characters) to `onLine`. Memory stays bounded whatever the child writes: a line
 * without an end is cut, not buffered. Rate limits belong to the receiver
 * (createMessageReporter).
 */
export function forwardStderr(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let partial = '';
  let skipping = false;
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', start);
      const piece = chunk.slice(start, nl === -1 ? undefined : nl);
      if (!skipping) partial += piece;
      if (partial.length > MAX_LINE && !skipping) {
        onLine(partial.slice(0, MAX_LINE));
        partial = '';
        skipping = true;
      }
      if (nl === -1) break;
      if (!skipping && partial !== '') onLine(partial);
      partial = '';
      skipping = false;
      start = nl + 1;
    }
  });
  stream.on('end', () => {
    if (!skipping && partial !== '') onLine(partial);
    partial = '';
  });
  stream.on('error', () => {});
}
