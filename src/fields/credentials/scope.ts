/**
 * Which requests the credential fields read: writes that carry an object (create,
 * update, patch) on a resource that may hold a credential where it does not belong.
 * Secrets are left out (credentials belong there), and so are the built-in resources
 * that are written all the time and hold none or hold one by design: leases, events,
 * endpoints, nodes, token and access reviews, CSRs, CRDs. Subresources are left out
 * except `ephemeralcontainers`, which adds containers to a running pod.
 */

// `group/resource` for the core group's `/secrets` etc.
const UNSCANNED = new Set([
  '/secrets',
  '/events',
  '/endpoints',
  '/nodes',
  '/bindings',
  '/componentstatuses',
  'events.k8s.io/events',
  'discovery.k8s.io/endpointslices',
  'coordination.k8s.io/leases',
  'coordination.k8s.io/leasecandidates',
  'authentication.k8s.io/tokenreviews',
  'authentication.k8s.io/selfsubjectreviews',
  'authorization.k8s.io/subjectaccessreviews',
  'authorization.k8s.io/selfsubjectaccessreviews',
  'authorization.k8s.io/localsubjectaccessreviews',
  'authorization.k8s.io/selfsubjectrulesreviews',
  'certificates.k8s.io/certificatesigningrequests',
  'storage.k8s.io/volumeattachments',
  'storage.k8s.io/csinodes',
  'apiextensions.k8s.io/customresourcedefinitions',
]);

/** True when a request on this resource (`group` '' or undefined for core) is scanned. */
export function isScannedResource(
  group: unknown,
  resource: unknown,
  subresource: unknown,
): boolean {
  if (typeof resource !== 'string' || resource === '') return false;
  if (subresource !== undefined && subresource !== '' && subresource !== 'ephemeralcontainers') {
    return false;
  }
  const g = typeof group === 'string' ? group : '';
  // Looked up per event on every write: a map of sets, no string built.
  return UNSCANNED_BY_GROUP.get(g)?.has(resource) !== true;
}

const UNSCANNED_BY_GROUP = new Map<string, Set<string>>();
for (const gr of UNSCANNED) {
  const at = gr.indexOf('/');
  const g = gr.slice(0, at);
  let set = UNSCANNED_BY_GROUP.get(g);
  if (set === undefined) UNSCANNED_BY_GROUP.set(g, (set = new Set()));
  set.add(gr.slice(at + 1));
}
