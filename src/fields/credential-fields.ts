import { type CredentialScan, isScannedResource, scanRequestObject } from './credentials/index.ts';
import { compilePath, type PathReader } from './path.ts';
import type { Extract, ExtractorFactory, FieldRow } from './table.ts';

/** Where a table's events keep the submitted object and what says whether it is scanned. */
export interface CredentialSource {
  /** The submitted object (ka: `requestObject`, kar: `request.object`). */
  readonly object: PathReader;
  /** A header-only test: a write on a resource the scan covers (credentials/scope.ts). */
  readonly presentWhen: (event: Record<string, unknown>) => boolean;
}

const readKaResource = compilePath(['objectRef', 'resource']);
const readKaSubresource = compilePath(['objectRef', 'subresource']);
const readKaGroup = compilePath(['objectRef', 'apiGroup']);
const KA_VERBS = new Set(['create', 'update', 'patch']);

/** k8s_audit: writes (create, update, patch) on a scanned resource, with an auditID. */
export const KA_CREDENTIAL_SOURCE: CredentialSource = {
  object: compilePath(['requestObject']),
  presentWhen: (e) =>
    e.auditID !== undefined &&
    typeof e.verb === 'string' &&
    KA_VERBS.has(e.verb) &&
    isScannedResource(readKaGroup(e), readKaResource(e), readKaSubresource(e)),
};

const readKarOperation = compilePath(['request', 'operation']);
const readKarUid = compilePath(['request', 'uid']);
const readKarResource = compilePath(['request', 'resource', 'resource']);
const readKarGroup = compilePath(['request', 'resource', 'group']);
const readKarSubresource = compilePath(['request', 'subResource']);
const KAR_OPERATIONS = new Set(['CREATE', 'UPDATE']);

/** k8s_admission: CREATE and UPDATE reviews (a patch is an UPDATE) on a scanned resource. */
export const KAR_CREDENTIAL_SOURCE: CredentialSource = {
  object: compilePath(['request', 'object']),
  presentWhen: (e) => {
    const op = readKarOperation(e);
    return (
      readKarUid(e) !== undefined &&
      typeof op === 'string' &&
      KAR_OPERATIONS.has(op) &&
      isScannedResource(readKarGroup(e), readKarResource(e), readKarSubresource(e))
    );
  },
};

/**
 * The credential field rows under `prefix` (`ka.req` or `kar.req`): each reads the
 * scan of the submitted object, done once per event whichever of them asks first.
 */
export function createCredentialRows(prefix: string, source: CredentialSource): FieldRow[] {
  const row = (suffix: string, desc: string, more: Partial<FieldRow> = {}): FieldRow => ({
    name: `${prefix}.credentials${suffix}`,
    desc,
    x: `credentials${suffix}`,
    needs: 'request',
    presentWhen: source.presentWhen,
    ...more,
  });
  return [
    row(
      '',
      'Credential-like values in the submitted object, one kind@place per finding (github-token@containers[web].env[GITHUB_TOKEN]). Read on create, update and patch of any resource but secrets and a few busy built-ins; see docs/credentials.md.',
      { list: true },
    ),
    row(
      '.kinds',
      'Distinct kinds of the credential-like values found (aws-access-key-id, password, jwt, …).',
      {
        list: true,
      },
    ),
    row('.count', 'Number of credential-like values found; 0 when a scanned request holds none.', {
      type: 'uint64',
    }),
    row(
      '.preview',
      'Each finding as kind@place and a masked preview (AKIA…WXYZ (20 chars)): a public prefix, at most the last 4 characters, the length. Never the value.',
      { list: true },
    ),
    row(
      '.truncated',
      'true when the scan stopped at a bound (1 MiB of text, 100,000 values or 64 findings) and the rest of the object was not read.',
      { type: 'bool' },
    ),
  ];
}

/** Extractors for createCredentialRows, keyed by the rows' `x`. */
export function createCredentialExtractors(
  source: CredentialSource,
): Record<string, ExtractorFactory> {
  // The last event's scan: every credential field of one event reads the same object,
  // and an event's fields are all read before the next event's.
  let lastRoot: Record<string, unknown> | undefined;
  let lastScan: CredentialScan | undefined;
  const scanOf = (root: Record<string, unknown>): CredentialScan | undefined => {
    if (root === lastRoot) return lastScan;
    const obj = source.presentWhen(root) ? source.object(root) : undefined;
    lastRoot = root;
    lastScan = typeof obj === 'object' && obj !== null ? scanRequestObject(obj) : undefined;
    return lastScan;
  };
  const from = (
    render: (s: CredentialScan) => string | readonly string[] | undefined,
  ): ExtractorFactory => {
    const x: Extract = (root) => {
      const s = scanOf(root);
      return s === undefined ? undefined : render(s);
    };
    return () => x;
  };
  return {
    credentials: from((s) => listOf(s.entries)),
    'credentials.kinds': from((s) => listOf(s.kinds)),
    'credentials.count': from((s) => String(s.findings.length)),
    'credentials.preview': from((s) => listOf(s.previews)),
    'credentials.truncated': from((s) => (s.truncated ? 'true' : 'false')),
  };
}

// An empty list is absent, as in libsinsp (render.ts toListValue).
function listOf(items: readonly string[]): readonly string[] | undefined {
  return items.length === 0 ? undefined : items;
}
