import { createContainerRows, EPHEMERAL_PROPS } from './container-rows.ts';
import { createCredentialRows, KA_CREDENTIAL_SOURCE } from './credential-fields.ts';
import type { FieldDataNeed, FieldDef } from './field.ts';
import { guardKa, KA_EXTRACTORS } from './ka-extract.ts';
import { buildFieldDefs, type FieldRow, rowAt, rowIndexedAt, rowListAt, rowWith } from './table.ts';

const REQ = 'requestObject';
const ANN = 'annotations';

const KA_ROWS: readonly FieldRow[] = [
  rowAt('ka.auditid', 'Unique id the apiserver gave the audit event.', 'auditID'),
  rowAt('ka.stage', 'Request stage the event was logged at (ResponseComplete, …).', 'stage'),
  rowAt(
    'ka.auth.decision',
    'Authorization decision annotation (allow, forbid).',
    ANN,
    'authorization.k8s.io/decision',
  ),
  rowAt('ka.auth.reason', 'Authorization reason annotation.', ANN, 'authorization.k8s.io/reason'),
  rowAt(
    'ka.auth.openshift.decision',
    'OpenShift authentication decision annotation.',
    ANN,
    'authentication.openshift.io/decision',
  ),
  rowAt(
    'ka.validations.admission.policy.failure',
    'ValidatingAdmissionPolicy failure annotation.',
    ANN,
    'validation.policy.admission.k8s.io/validation_failure',
  ),
  rowAt(
    'ka.security.pod.violations',
    'Pod Security admission audit-violations annotation.',
    ANN,
    'pod-security.kubernetes.io/audit-violations',
  ),
  rowAt(
    'ka.auth.openshift.username',
    'OpenShift authenticated user name annotation.',
    ANN,
    'authentication.openshift.io/username',
  ),
  rowAt('ka.user.name', 'User name that made the request.', 'user', 'username'),
  rowListAt('ka.user.groups', 'Groups of the user that made the request.', 'user', 'groups'),
  rowAt('ka.impuser.name', 'User name being impersonated, if any.', 'impersonatedUser', 'username'),
  rowAt('ka.verb', 'Request verb (create, get, list, watch, patch, delete, …).', 'verb'),
  rowAt('ka.uri', 'Request URI as the client sent it.', 'requestURI'),
  rowWith(
    'ka.uri.param',
    'First value of the named query parameter of the URI, decoded.',
    'uri.param',
    { arg: 'key' },
  ),
  rowAt('ka.target.name', 'Name of the object the request targets.', 'objectRef', 'name'),
  rowAt(
    'ka.target.namespace',
    'Namespace of the target object (absent when cluster-scoped).',
    'objectRef',
    'namespace',
  ),
  rowAt(
    'ka.target.resource',
    'Resource of the target object (pods, secrets, …).',
    'objectRef',
    'resource',
  ),
  rowAt(
    'ka.target.subresource',
    'Subresource of the target (exec, attach, status, …).',
    'objectRef',
    'subresource',
  ),
  rowWith(
    'ka.target.pod.name',
    'Name of the pod in the response, for requests on pods themselves.',
    'target.pod.name',
  ),
  rowListAt(
    'ka.req.binding.subjects',
    'Subjects of a submitted (cluster) role binding, as JSON objects.',
    REQ,
    'subjects',
  ),
  rowWith(
    'ka.req.binding.subjects.user_names',
    'Names of the User subjects of a submitted binding.',
    'subjects.user_names',
    { list: true },
  ),
  rowWith(
    'ka.req.binding.subjects.serviceaccount_names',
    'Names of the ServiceAccount subjects of a submitted binding.',
    'subjects.serviceaccount_names',
    { list: true },
  ),
  rowWith(
    'ka.req.binding.subjects.serviceaccount_ns_names',
    'namespace:name of the ServiceAccount subjects of a submitted binding.',
    'subjects.serviceaccount_ns_names',
    { list: true },
  ),
  rowWith(
    'ka.req.binding.subjects.group_names',
    'Names of the Group subjects of a submitted binding.',
    'subjects.group_names',
    { list: true },
  ),
  rowAt('ka.req.binding.role', 'Role a submitted binding refers to.', REQ, 'roleRef', 'name'),
  rowWith(
    'ka.req.binding.subject.has_name',
    'Obsolete; always "true".',
    'binding.subject.has_name',
    { arg: 'key', deprecated: true, needs: 'metadata' },
  ),
  // It reads objectRef, whatever the kind of object.
  {
    ...rowAt(
      'ka.req.configmap.name',
      'Target object name (meant for configmaps).',
      'objectRef',
      'name',
    ),
    needs: 'metadata',
  },
  rowAt('ka.req.configmap.obj', 'Data of a submitted configmap, as a JSON object.', REQ, 'data'),
  rowWith(
    'ka.req.container.image',
    'Image of the first container of a submitted pod.',
    'container.image',
    { deprecated: true },
  ),
  rowWith(
    'ka.req.container.image.repository',
    'Image repository of the first container of a submitted pod.',
    'container.image.repository',
    { deprecated: true },
  ),
  rowAt('ka.req.pod.host_ipc', 'hostIPC of a submitted pod.', REQ, 'spec', 'hostIPC'),
  rowAt('ka.req.pod.host_network', 'hostNetwork of a submitted pod.', REQ, 'spec', 'hostNetwork'),
  {
    ...rowAt(
      'ka.req.container.host_network',
      'hostNetwork of a submitted pod (old name).',
      REQ,
      'spec',
      'hostNetwork',
    ),
    deprecated: true,
  },
  rowAt('ka.req.pod.host_pid', 'hostPID of a submitted pod.', REQ, 'spec', 'hostPID'),
  rowWith(
    'ka.req.container.privileged',
    '"true" when any container of a submitted pod is privileged, else "false".',
    'container.privileged',
    { deprecated: true },
  ),
  rowAt(
    'ka.req.pod.run_as_user',
    'Pod-level securityContext.runAsUser.',
    REQ,
    'spec',
    'securityContext',
    'runAsUser',
  ),
  rowAt(
    'ka.req.pod.run_as_group',
    'Pod-level securityContext.runAsGroup.',
    REQ,
    'spec',
    'securityContext',
    'runAsGroup',
  ),
  rowAt(
    'ka.req.pod.fs_group',
    'Pod-level securityContext.fsGroup.',
    REQ,
    'spec',
    'securityContext',
    'fsGroup',
  ),
  rowListAt(
    'ka.req.pod.supplemental_groups',
    'Pod-level securityContext.supplementalGroups.',
    REQ,
    'spec',
    'securityContext',
    'supplementalGroups',
  ),
  ...createContainerRows('ka.req.pod', 'containers'),
  rowListAt(
    'ka.req.role.rules',
    'Rules of a submitted (cluster) role, as JSON objects.',
    REQ,
    'rules',
  ),
  rowWith(
    'ka.req.role.rules.apiGroups',
    'API groups of the rules of a submitted role; [i] selects one rule.',
    'rules.apiGroups',
    { list: true, arg: 'index' },
  ),
  rowWith(
    'ka.req.role.rules.nonResourceURLs',
    'Non-resource URLs of the rules of a submitted role; [i] selects one rule.',
    'rules.nonResourceURLs',
    { list: true, arg: 'index' },
  ),
  rowWith(
    'ka.req.role.rules.verbs',
    'Verbs of the rules of a submitted role; [i] selects one rule.',
    'rules.verbs',
    { list: true, arg: 'index' },
  ),
  rowWith(
    'ka.req.role.rules.resources',
    'Resources of the rules of a submitted role; [i] selects one rule.',
    'rules.resources',
    { list: true, arg: 'index' },
  ),
  rowAt(
    'ka.req.service.type',
    'spec.type of the submitted object (meant for services).',
    REQ,
    'spec',
    'type',
  ),
  rowIndexedAt(
    'ka.req.service.ports',
    'Ports of a submitted service, as JSON objects; [i] selects one.',
    REQ,
    'spec',
    'ports',
  ),
  rowWith(
    'ka.req.pod.volumes.hostpath',
    'hostPath paths of the volumes of a submitted pod; [i] selects one volume.',
    'volumes.hostpath',
    { list: true, arg: 'index', scalarAtIndex: true },
  ),
  rowWith(
    'ka.req.volume.hostpath',
    '"true" when a hostPath volume has this path ([p*]: this prefix), else "false".',
    'volume.hostpath',
    { arg: 'key', deprecated: true },
  ),
  rowWith(
    'ka.req.pod.volumes.flexvolume_driver',
    'flexVolume drivers of the volumes of a submitted pod; [i] selects one volume.',
    'volumes.flexvolume_driver',
    { list: true, arg: 'index', scalarAtIndex: true },
  ),
  rowWith(
    'ka.req.pod.volumes.volume_type',
    'Volume source kinds (hostPath, configMap, …) of a submitted pod; [i] selects one volume.',
    'volumes.volume_type',
    { list: true, arg: 'index' },
  ),
  rowAt(
    'ka.resp.name',
    'Name of the object in the response.',
    'responseObject',
    'metadata',
    'name',
  ),
  rowAt('ka.response.code', 'HTTP status code of the response.', 'responseStatus', 'code'),
  rowAt(
    'ka.response.reason',
    'Reason of the response status (mostly on failures).',
    'responseStatus',
    'reason',
  ),
  rowAt('ka.useragent', 'User agent of the client.', 'userAgent'),
  rowIndexedAt('ka.sourceips', 'Client IP addresses (sourceIPs); [i] selects one.', 'sourceIPs'),
  rowWith(
    'ka.cluster.name',
    'Cluster of the event: its cluster_name annotation (set by some managed-cluster exporters), else the cluster the input was labelled with (--cluster).',
    'cluster.name',
  ),
  ...createContainerRows('ka.req.pod', 'initContainers'),
  ...createContainerRows('ka.req.pod', 'ephemeralContainers', EPHEMERAL_PROPS),
  ...createCredentialRows('ka.req', KA_CREDENTIAL_SOURCE),
];

function kaNeeds(name: string): FieldDataNeed {
  if (name.startsWith('ka.req.')) return 'request';
  if (name.startsWith('ka.resp.') || name === 'ka.target.pod.name') return 'response';
  return 'metadata';
}

/** The k8saudit plugin's fields (`ka.*`), for the `k8s_audit` source. */
export function createKaFields(): FieldDef[] {
  return buildFieldDefs(KA_ROWS, KA_EXTRACTORS, {
    sources: ['k8s_audit'],
    guard: guardKa,
    needs: kaNeeds,
  });
}
