/**
 * What of an audit event goes into the store: managedFields stripped (bulky, never useful
 * for triage) and the values of Secret data replaced, so that the store, its backups and
 * every UI user never hold a cluster's secrets. One JSON.stringify pass with a replacer
 * produces the stored text; the engine's event object is never modified (other outputs
 * share it).
 */
export const REDACTED = '<redacted>';

/** Annotation in which `kubectl apply` keeps the whole object, Secret data included. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const SECRET_PATCH_PATH = /^\/(?:data|stringData)(?:\/|$)/;
const LAST_APPLIED_PATCH_PATH =
  '/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration';

export interface SanitizedEvent {
  readonly json: string;
  /** True when at least one value was replaced by `<redacted>`. */
  readonly redacted: boolean;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether the event is a request about Secrets (its bodies are Secrets or patches of one). */
function isSecretRequest(event: Record<string, unknown>): boolean {
  const ref = event.objectRef;
  if (isObject(ref) && ref.resource === 'secrets') return true;
  const req = event.request;
  if (!isObject(req)) return false;
  const res = req.resource;
  const kind = req.kind;
  return (
    (isObject(res) && res.resource === 'secrets') || (isObject(kind) && kind.kind === 'Secret')
  );
}

/** Serialises `event` for the store; see the module comment. */
export function sanitizeEvent(event: Readonly<Record<string, unknown>>): SanitizedEvent {
  let redacted = false;
  const secretRequest = isSecretRequest(event);
  const root = event;
  const request = event.request;

  const redactValues = (v: unknown): unknown => {
    redacted = true;
    if (!isObject(v)) return REDACTED;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = REDACTED;
    return out;
  };
  const redactSecret = (s: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...s };
    if ('data' in out) out.data = redactValues(out.data);
    if ('stringData' in out) out.stringData = redactValues(out.stringData);
    const meta = out.metadata;
    if (isObject(meta) && isObject(meta.annotations) && LAST_APPLIED in meta.annotations) {
      redacted = true;
      out.metadata = { ...meta, annotations: { ...meta.annotations, [LAST_APPLIED]: REDACTED } };
    }
    return out;
  };
  const redactPatch = (ops: readonly unknown[]): unknown[] =>
    ops.map((op) => {
      if (!isObject(op) || typeof op.path !== 'string' || !('value' in op)) return op;
      if (!SECRET_PATCH_PATH.test(op.path) && op.path !== LAST_APPLIED_PATCH_PATH) return op;
      redacted = true;
      return { ...op, value: REDACTED };
    });
  // A body of a Secrets request: a Secret, a SecretList, a merge patch or a JSON patch.
  const redactBody = (v: unknown): unknown => {
    if (Array.isArray(v)) return redactPatch(v);
    if (!isObject(v)) return v;
    if (Array.isArray(v.items)) return { ...v, items: v.items.map(redactBody) };
    return redactSecret(v);
  };

  const json = JSON.stringify(event, function (this: unknown, key: string, value: unknown) {
    if (key === 'metadata' && isObject(value) && 'managedFields' in value) {
      const { managedFields: _drop, ...rest } = value;
      value = rest;
    }
    if (secretRequest) {
      const bodyOfEvent = this === root && (key === 'requestObject' || key === 'responseObject');
      const bodyOfReview = this === request && (key === 'object' || key === 'oldObject');
      if (bodyOfEvent || bodyOfReview) return redactBody(value);
    }
    if (isObject(value)) {
      if (value.kind === 'Secret') return redactSecret(value);
      if (value.kind === 'SecretList' && Array.isArray(value.items)) {
        return { ...value, items: value.items.map(redactBody) };
      }
    }
    return value;
  });
  return { json, redacted };
}
