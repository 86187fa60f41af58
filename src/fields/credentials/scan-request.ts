import type { CredentialScan } from './finding.ts';
import { createScanState, DEFAULT_SCAN_LIMITS, finishScan, type ScanLimits } from './scan-state.ts';
import { walkRequestObject } from './walk-object.ts';

/** Requests scanned and requests whose scan stopped at a limit, in this thread. */
export interface CredentialScanCounters {
  scanned: number;
  truncated: number;
}

const counters: CredentialScanCounters = { scanned: 0, truncated: 0 };

/** A snapshot of this thread's scan counters (for run summaries and tests). */
export function readCredentialScanCounters(): Readonly<CredentialScanCounters> {
  return { ...counters };
}

/**
 * Scans a submitted object (a request body: object, merge patch or JSON patch) for
 * credential-like values: the token catalogue, shapes, `key=value` assignments, values
 * under credential key names and the entropy test, through base64, JSON-in-strings and
 * last-applied-configuration. Never throws; bounded by `limits`.
 *
 * @example
 * scanRequestObject({ kind: 'ConfigMap', data: { KEY: 'AKIA…' } }).entries
 * // → ['aws-access-key-id@data.KEY']
 */
export function scanRequestObject(
  obj: unknown,
  limits: ScanLimits = DEFAULT_SCAN_LIMITS,
): CredentialScan {
  const st = createScanState(limits);
  try {
    walkRequestObject(st, obj);
  } catch {
    // A bug guard: the scanners only read strings they were given. Report what was found.
    st.stopped = true;
  }
  counters.scanned++;
  if (st.stopped) counters.truncated++;
  return finishScan(st);
}
