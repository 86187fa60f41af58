// Scans lines in a worker started by runInWorker, so a stall fails a test after a deadline.
import { canSkipBodies, scanHeader } from '../../../src/fastpath/header-scan.ts';

/** For each line: the verb scanHeader read, and whether the bodies were skipped. */
export function scanLines(lines: readonly string[]): { verb: unknown; skipped: boolean }[] {
  return lines.map((l) => ({ verb: scanHeader(l)?.verb, skipped: canSkipBodies(l) }));
}
