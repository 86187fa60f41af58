import { type FileHandle, open } from 'node:fs/promises';

/** The longest tail read back when resuming: a round of alerts, with room to spare. */
const MAX_TAIL_BYTES = 8 * 1024 * 1024;

/** The last `bytes` bytes of a file (fewer when it is shorter), and the file's size. */
async function readTail(fh: FileHandle, bytes: number): Promise<{ text: string; size: number }> {
  const { size } = await fh.stat();
  const n = Math.min(size, bytes);
  const buf = Buffer.alloc(n);
  if (n > 0) await fh.read(buf, 0, n, size - n);
  return { text: buf.toString('utf8'), size };
}

/**
 * How many of `lines` (each ending in '\n', in delivery order) the file already ends with:
 * the largest k such that the file's last k lines are lines[0..k). A last line cut short
 * by a crash (no newline) is removed first, so the alert is written again whole.
 */
export async function matchWrittenTail(path: string, lines: readonly string[]): Promise<number> {
  if (lines.length === 0) return 0;
  let fh: FileHandle;
  try {
    fh = await open(path, 'r+');
  } catch {
    return 0; // no file yet: nothing was written
  }
  try {
    const want = lines.reduce((n, l) => n + Buffer.byteLength(l), 0) + 4096;
    const { text, size } = await readTail(fh, Math.min(want, MAX_TAIL_BYTES));
    let tail = text;
    if (tail.length > 0 && !tail.endsWith('\n')) {
      const cut = tail.lastIndexOf('\n') + 1;
      await fh.truncate(size - Buffer.byteLength(tail.slice(cut)));
      tail = tail.slice(0, cut);
    }
    for (let k = Math.min(lines.length, countLines(tail)); k > 0; k--) {
      if (tail.endsWith(lines.slice(0, k).join(''))) return k;
    }
    return 0;
  } finally {
    await fh.close();
  }
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
