// The Header a correct scan must give for a parsed event: the same members, read by
// JSON.parse. Written independently of the scanner, as the test oracle.
type Obj = Record<string, unknown>;

function pick(v: unknown, keys: readonly string[]): Obj {
  const src = v as Obj;
  const out: Obj = {};
  for (const k of keys) if (Object.hasOwn(src, k)) out[k] = src[k];
  return out;
}

const TOP = ['kind', 'apiVersion', 'auditID', 'stage', 'requestURI', 'verb', 'stageTimestamp'];
const NESTED: Readonly<Record<string, readonly string[]>> = {
  user: ['username'],
  objectRef: ['resource', 'subresource', 'namespace', 'name', 'apiGroup'],
  responseStatus: ['code'],
  annotations: ['authorization.k8s.io/decision'],
};

export function headerOf(obj: Obj): Obj {
  const out = pick(obj, TOP);
  for (const [k, keys] of Object.entries(NESTED)) {
    if (Object.hasOwn(obj, k)) out[k] = pick(obj[k], keys);
  }
  return out;
}
