/**
 * Built-in API groups and their resources (with the subresources they serve), as of
 * Kubernetes 1.3x. Used by lint to spot resources listed under the wrong group and
 * misspelt resources, and by coverage/generate to find a resource's group.
 */
export const BUILTIN_RESOURCES: ReadonlyMap<string, readonly string[]> = new Map<string, string[]>([
  [
    '',
    [
      'bindings',
      'componentstatuses',
      'configmaps',
      'endpoints',
      'events',
      'limitranges',
      'namespaces',
      'namespaces/finalize',
      'namespaces/status',
      'nodes',
      'nodes/proxy',
      'nodes/status',
      'persistentvolumeclaims',
      'persistentvolumeclaims/status',
      'persistentvolumes',
      'persistentvolumes/status',
      'pods',
      'pods/attach',
      'pods/binding',
      'pods/ephemeralcontainers',
      'pods/eviction',
      'pods/exec',
      'pods/log',
      'pods/portforward',
      'pods/proxy',
      'pods/resize',
      'pods/status',
      'podtemplates',
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'replicationcontrollers/status',
      'resourcequotas',
      'resourcequotas/status',
      'secrets',
      'serviceaccounts',
      'serviceaccounts/token',
      'services',
      'services/proxy',
      'services/status',
    ],
  ],
  [
    'admissionregistration.k8s.io',
    [
      'mutatingwebhookconfigurations',
      'validatingwebhookconfigurations',
      'validatingadmissionpolicies',
      'validatingadmissionpolicies/status',
      'validatingadmissionpolicybindings',
      'mutatingadmissionpolicies',
      'mutatingadmissionpolicybindings',
    ],
  ],
  ['apiextensions.k8s.io', ['customresourcedefinitions', 'customresourcedefinitions/status']],
  ['apiregistration.k8s.io', ['apiservices', 'apiservices/status']],
  [
    'apps',
    [
      'controllerrevisions',
      'daemonsets',
      'daemonsets/status',
      'deployments',
      'deployments/scale',
      'deployments/status',
      'replicasets',
      'replicasets/scale',
      'replicasets/status',
      'statefulsets',
      'statefulsets/scale',
      'statefulsets/status',
    ],
  ],
  ['authentication.k8s.io', ['selfsubjectreviews', 'tokenreviews']],
  [
    'authorization.k8s.io',
    [
      'localsubjectaccessreviews',
      'selfsubjectaccessreviews',
      'selfsubjectrulesreviews',
      'subjectaccessreviews',
    ],
  ],
  ['autoscaling', ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']],
  ['batch', ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']],
  [
    'certificates.k8s.io',
    [
      'certificatesigningrequests',
      'certificatesigningrequests/approval',
      'certificatesigningrequests/status',
      'clustertrustbundles',
    ],
  ],
  ['coordination.k8s.io', ['leases', 'leasecandidates']],
  ['discovery.k8s.io', ['endpointslices']],
  ['events.k8s.io', ['events']],
  [
    'flowcontrol.apiserver.k8s.io',
    [
      'flowschemas',
      'flowschemas/status',
      'prioritylevelconfigurations',
      'prioritylevelconfigurations/status',
    ],
  ],
  ['metrics.k8s.io', ['nodes', 'pods']],
  [
    'networking.k8s.io',
    [
      'ingressclasses',
      'ingresses',
      'ingresses/status',
      'ipaddresses',
      'networkpolicies',
      'servicecidrs',
      'servicecidrs/status',
    ],
  ],
  ['node.k8s.io', ['runtimeclasses']],
  ['policy', ['poddisruptionbudgets', 'poddisruptionbudgets/status']],
  ['rbac.authorization.k8s.io', ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles']],
  [
    'resource.k8s.io',
    [
      'deviceclasses',
      'resourceclaims',
      'resourceclaims/status',
      'resourceclaimtemplates',
      'resourceslices',
    ],
  ],
  ['scheduling.k8s.io', ['priorityclasses']],
  [
    'storage.k8s.io',
    [
      'csidrivers',
      'csinodes',
      'csistoragecapacities',
      'storageclasses',
      'volumeattachments',
      'volumeattachments/status',
      'volumeattributesclasses',
    ],
  ],
  // Last: ingresses moved to networking.k8s.io (extensions stopped serving them in 1.22).
  ['extensions', ['ingresses', 'ingresses/status']],
]);

/** Resources that are not namespaced (for probes that need a namespace or not). */
export const CLUSTER_SCOPED: ReadonlySet<string> = new Set([
  'namespaces',
  'nodes',
  'persistentvolumes',
  'componentstatuses',
  'clusterroles',
  'clusterrolebindings',
  'customresourcedefinitions',
  'apiservices',
  'storageclasses',
  'csidrivers',
  'csinodes',
  'volumeattachments',
  'priorityclasses',
  'runtimeclasses',
  'certificatesigningrequests',
  'mutatingwebhookconfigurations',
  'validatingwebhookconfigurations',
  'validatingadmissionpolicies',
  'validatingadmissionpolicybindings',
  'ingressclasses',
  'tokenreviews',
  'subjectaccessreviews',
  'selfsubjectaccessreviews',
  'selfsubjectrulesreviews',
  'flowschemas',
  'prioritylevelconfigurations',
  'ipaddresses',
  'servicecidrs',
  'deviceclasses',
  'resourceslices',
  'volumeattributesclasses',
  'clustertrustbundles',
  'selfsubjectreviews',
]);

/** The verbs an audit event can carry (resource verbs and lower-case HTTP methods). */
export const AUDIT_VERBS: ReadonlySet<string> = new Set([
  'get',
  'list',
  'watch',
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
  'post',
  'put',
  'head',
  'options',
]);

/** Verbs whose request carries an object body. */
export const WRITE_VERBS: readonly string[] = ['create', 'update', 'patch'];

function baseOf(resource: string): string {
  const slash = resource.indexOf('/');
  return slash < 0 ? resource : resource.slice(0, slash);
}

/** Is `resource` (optionally `res/sub`) served by built-in group `group`? */
export function isResourceInGroup(group: string, resource: string): boolean {
  const list = BUILTIN_RESOURCES.get(group);
  if (list === undefined) return false;
  const base = baseOf(resource);
  return list.some((r) => r === resource || baseOf(r) === base);
}

/** The built-in groups serving a resource's base name (e.g. deployments → [apps]). */
export function findResourceGroups(resource: string): string[] {
  const base = baseOf(resource);
  const out: string[] = [];
  for (const [group, list] of BUILTIN_RESOURCES) {
    if (list.some((r) => baseOf(r) === base)) out.push(group);
  }
  return out;
}
