/** One credential-like value found in a request: what it is and where, never the value. */
export interface CredentialFinding {
  /** Catalogue kind, e.g. `aws-access-key-id`, `password-in-url`, `high-entropy`. */
  readonly kind: string;
  /** Where in the object, e.g. `data.credentials.ini`, `containers[web].env[DB_URL]`. */
  readonly place: string;
  /** Masked preview: the format's public prefix, maybe the last 4 characters, the length. */
  readonly preview: string;
}

/** What a request carries, rendered once for every credential field. */
export interface CredentialScan {
  readonly findings: readonly CredentialFinding[];
  /** `kind@place`, one per finding (the `…credentials` field). */
  readonly entries: readonly string[];
  /** Distinct kinds in order of first finding. */
  readonly kinds: readonly string[];
  /** `kind@place preview`, one per finding. */
  readonly previews: readonly string[];
  /** The scan stopped at a bound (text budget, node count or finding count). */
  readonly truncated: boolean;
}

/**
 * A match inside one scanned text: characters [start, end) hold the credential, the
 * first `shown` of them are a public, fixed prefix (`AKIA`, `ghp_`, a PEM header).
 */
export interface Hit {
  readonly kind: string;
  readonly start: number;
  readonly end: number;
  readonly shown: number;
}

// Hits a new one is checked against: a text with more is cut short by the scan's finding
// limit anyway, and an unbounded check would make a scan quadratic.
const MAX_CHECKED = 64;

/** True when [start, end) overlaps one of the first hits (a token already named there). */
export function overlapsHit(hits: readonly Hit[], start: number, end: number): boolean {
  const n = Math.min(hits.length, MAX_CHECKED);
  for (let k = 0; k < n; k++) {
    const h = hits[k] as Hit;
    if (h.start < end && start < h.end) return true;
  }
  return false;
}

/** Hits kept per text: more than a scan reports (its finding limit) is memory for nothing. */
export const MAX_HITS = 128;

/** Appends a hit unless the text already has MAX_HITS. */
export function pushHit(hits: Hit[], hit: Hit): void {
  if (hits.length < MAX_HITS) hits.push(hit);
}
