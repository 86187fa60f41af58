import type { CredentialFinding, CredentialScan } from './finding.ts';

/** Bounds of one request's scan; past any of them the scan stops and says so. */
export interface ScanLimits {
  /** Characters of text examined (decoded text included). */
  readonly chars: number;
  /** JSON values visited. */
  readonly nodes: number;
  readonly findings: number;
}

/**
 * 1 MiB of text covers any object etcd stores (1.5 MiB at most, most of it structure),
 * and takes a few milliseconds at the scanners' speed on hostile input.
 */
export const DEFAULT_SCAN_LIMITS: ScanLimits = {
  chars: 1 << 20,
  nodes: 100_000,
  findings: 64,
};

/** The mutable state of one request's scan. */
export interface ScanState {
  readonly limits: ScanLimits;
  chars: number;
  nodes: number;
  /** A limit was reached: nothing more is examined. */
  stopped: boolean;
  readonly findings: CredentialFinding[];
  readonly seen: Set<string>;
}

export function createScanState(limits: ScanLimits): ScanState {
  return { limits, chars: 0, nodes: 0, stopped: false, findings: [], seen: new Set() };
}

/**
 * Records a finding once per kind and place. At the finding limit the scan stops and
 * this returns false.
 */
export function addFinding(st: ScanState, kind: string, place: string, preview: string): boolean {
  const entry = `${kind}@${place}`;
  if (st.seen.has(entry)) return true;
  if (st.findings.length >= st.limits.findings) {
    st.stopped = true;
    return false;
  }
  st.seen.add(entry);
  st.findings.push({ kind, place, preview });
  return true;
}

/** Counts `n` more characters against the budget; false (and stopped) when over it. */
export function spendChars(st: ScanState, n: number): boolean {
  st.chars += n;
  if (st.chars <= st.limits.chars) return true;
  st.stopped = true;
  return false;
}

/** Counts one more JSON value against the node limit. */
export function visitNode(st: ScanState): boolean {
  if (st.stopped) return false;
  if (++st.nodes <= st.limits.nodes) return true;
  st.stopped = true;
  return false;
}

/** The scan's result with its field values rendered once. */
export function finishScan(st: ScanState): CredentialScan {
  const f = st.findings;
  const kinds: string[] = [];
  for (const x of f) if (!kinds.includes(x.kind)) kinds.push(x.kind);
  return {
    findings: f,
    entries: f.map((x) => `${x.kind}@${x.place}`),
    kinds,
    previews: f.map((x) => `${x.kind}@${x.place} ${x.preview}`),
    truncated: st.stopped,
  };
}
