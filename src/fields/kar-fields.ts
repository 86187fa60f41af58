import { createContainerRows } from './container-rows.ts';
import { createCredentialRows, KAR_CREDENTIAL_SOURCE } from './credential-fields.ts';
import type { FieldDataNeed, FieldDef } from './field.ts';
import { guardKar, KAR_EXTRACTORS } from './kar-extract.ts';
import { buildFieldDefs, type FieldRow, rowAt, rowListAt } from './table.ts';

const RQ = 'request';
const OBJ = 'object';

function indexed(name: string, desc: string, x: string, scalarAtIndex = false): FieldRow {
  return { name, desc, x, list: true, arg: 'index', ...(scalarAtIndex ? { scalarAtIndex } : {}) };
}

// The container properties the admission plugin offers (a subset of k8saudit's).
const KAR_CONTAINER_PROPS = [
  'image',
  'image.repository',
  'host_port',
  'privileged',
  'allow_privilege_escalation',
  'read_only_fs',
  'run_as_user',
  'eff_run_as_user',
  'run_as_group',
  'eff_run_as_group',
  'proc_mount',
  'add_capabilities',
];

const KAR_ROWS: readonly FieldRow[] = [
  rowAt('kar.uid', 'Unique id of the admission request.', RQ, 'uid'),
  rowAt(
    'kar.timestamp',
    'Time kube-audit-rest received the request (RFC 3339).',
    'requestReceivedTimestamp',
  ),
  rowAt('kar.user.name', 'User name that made the request.', RQ, 'userInfo', 'username'),
  rowListAt(
    'kar.user.groups',
    'Groups of the user that made the request.',
    RQ,
    'userInfo',
    'groups',
  ),
  rowAt(
    'kar.verb',
    'Admission operation, upper case (CREATE, UPDATE, DELETE, CONNECT).',
    RQ,
    'operation',
  ),
  rowAt('kar.target.name', 'Name of the object the request targets.', RQ, 'name'),
  rowAt('kar.target.namespace', 'Namespace of the target object.', RQ, 'namespace'),
  rowAt(
    'kar.target.resource',
    'Resource of the target object (pods, secrets, …).',
    RQ,
    'resource',
    'resource',
  ),
  rowAt(
    'kar.target.subresource',
    'Subresource of the target (exec, attach, …).',
    RQ,
    'subResource',
  ),
  rowListAt(
    'kar.req.binding.subjects',
    'Subjects of a submitted (cluster) role binding, as JSON objects.',
    RQ,
    OBJ,
    'subjects',
  ),
  rowAt('kar.req.binding.role', 'Role a submitted binding refers to.', RQ, OBJ, 'roleRef', 'name'),
  {
    ...rowAt('kar.req.configmap.name', 'Target object name (meant for configmaps).', RQ, 'name'),
    needs: 'metadata',
  },
  rowAt(
    'kar.req.configmap.data',
    'data of a submitted configmap, as a JSON object.',
    RQ,
    OBJ,
    'data',
  ),
  rowAt(
    'kar.req.configmap.binary_data',
    'binaryData of a submitted configmap, as a JSON object.',
    RQ,
    OBJ,
    'binaryData',
  ),
  rowAt('kar.req.pod.host_ipc', 'hostIPC of a submitted pod.', RQ, OBJ, 'spec', 'hostIPC'),
  rowAt(
    'kar.req.pod.host_network',
    'hostNetwork of a submitted pod.',
    RQ,
    OBJ,
    'spec',
    'hostNetwork',
  ),
  rowAt('kar.req.pod.host_pid', 'hostPID of a submitted pod.', RQ, OBJ, 'spec', 'hostPID'),
  rowListAt(
    'kar.req.exec.command',
    'Command of an exec request, one word per value.',
    RQ,
    OBJ,
    'command',
  ),
  rowAt(
    'kar.req.pod.run_as_user',
    'Pod-level securityContext.runAsUser.',
    RQ,
    OBJ,
    'spec',
    'securityContext',
    'runAsUser',
  ),
  rowAt(
    'kar.req.pod.run_as_group',
    'Pod-level securityContext.runAsGroup.',
    RQ,
    OBJ,
    'spec',
    'securityContext',
    'runAsGroup',
  ),
  rowAt(
    'kar.req.pod.fs_group',
    'Pod-level securityContext.fsGroup.',
    RQ,
    OBJ,
    'spec',
    'securityContext',
    'fsGroup',
  ),
  rowListAt(
    'kar.req.pod.supplemental_groups',
    'Pod-level securityContext.supplementalGroups.',
    RQ,
    OBJ,
    'spec',
    'securityContext',
    'supplementalGroups',
  ),
  ...createContainerRows('kar.req.pod', 'containers', KAR_CONTAINER_PROPS),
  rowListAt(
    'kar.req.role.rules',
    'Rules of a submitted (cluster) role, as JSON objects.',
    RQ,
    OBJ,
    'rules',
  ),
  indexed(
    'kar.req.role.rules.apiGroups',
    'API groups of the rules of a submitted role; [i] selects one rule.',
    'rules.apiGroups',
  ),
  indexed(
    'kar.req.role.rules.nonResourceURLs',
    'Non-resource URLs of the rules of a submitted role; [i] selects one rule.',
    'rules.nonResourceURLs',
  ),
  indexed(
    'kar.req.role.rules.verbs',
    'Verbs of the rules of a submitted role; [i] selects one rule.',
    'rules.verbs',
  ),
  indexed(
    'kar.req.role.rules.resources',
    'Resources of the rules of a submitted role; [i] selects one rule.',
    'rules.resources',
  ),
  rowAt(
    'kar.req.service.type',
    'spec.type of the submitted object (meant for services).',
    RQ,
    OBJ,
    'spec',
    'type',
  ),
  {
    ...indexed(
      'kar.req.service.ports',
      'Ports of a submitted service, as JSON objects; [i] selects one.',
      'indexed',
      true,
    ),
    path: [RQ, OBJ, 'spec', 'ports'],
  },
  indexed(
    'kar.req.pod.volumes.hostpath',
    'hostPath paths of the volumes of a submitted pod; [i] selects one volume.',
    'volumes.hostpath',
    true,
  ),
  indexed(
    'kar.req.pod.volumes.flexvolume_driver',
    'flexVolume drivers of the volumes of a submitted pod; [i] selects one volume.',
    'volumes.flexvolume_driver',
    true,
  ),
  indexed(
    'kar.req.pod.volumes.volume_type',
    'Volume source kinds of a submitted pod; [i] selects one volume.',
    'volumes.volume_type',
  ),
  ...createCredentialRows('kar.req', KAR_CREDENTIAL_SOURCE),
];

function karNeeds(name: string): FieldDataNeed {
  return name.startsWith('kar.req.') ? 'request' : 'metadata';
}

/** The k8sadmission plugin's fields (`kar.*`), for the `k8s_admission` source. */
export function createKarFields(): FieldDef[] {
  return buildFieldDefs(KAR_ROWS, KAR_EXTRACTORS, {
    sources: ['k8s_admission'],
    guard: guardKar,
    needs: karNeeds,
  });
}
