import type { Position } from './types.ts';

/** One rules file's text with a line index, so offsets turn into line:col positions. */
export interface SourceFile {
  readonly name: string;
  readonly content: string;
  /** 0-based offsets of the first character of every line. */
  readonly lineStarts: readonly number[];
}

/** Indexes `content` by line. */
export function createSourceFile(name: string, content: string): SourceFile {
  const lineStarts = [0];
  for (let i = content.indexOf('\n'); i !== -1; i = content.indexOf('\n', i + 1)) {
    lineStarts.push(i + 1);
  }
  return { name, content, lineStarts };
}

function lineIndexOf(file: SourceFile, offset: number): number {
  let lo = 0;
  let hi = file.lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((file.lineStarts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The 1-based line:column of a 0-based offset (offsets count UTF-16 code units). */
export function positionAt(file: SourceFile, offset: number): Position {
  const clamped = Math.max(0, Math.min(offset, file.content.length));
  const line = lineIndexOf(file, clamped);
  const column = clamped - (file.lineStarts[line] ?? 0) + 1;
  return { name: file.name, line: line + 1, column, offset: clamped };
}

/**
 * The source line holding `start` with a caret line under `start..end` (clipped to that
 * line), the way every load message shows where the problem is.
 */
export function snippetAt(file: SourceFile, start: number, end: number = start): string {
  const line = lineIndexOf(file, Math.max(0, Math.min(start, file.content.length)));
  const lineStart = file.lineStarts[line] ?? 0;
  const nl = file.content.indexOf('\n', lineStart);
  const lineEnd = nl === -1 ? file.content.length : nl;
  const text = file.content.slice(lineStart, lineEnd).replace(/\r$/, '');
  const col = Math.max(0, start - lineStart);
  const width = Math.max(1, Math.min(end, lineStart + text.length) - start);
  return `${text}\n${' '.repeat(col)}${'^'.repeat(width)}`;
}
