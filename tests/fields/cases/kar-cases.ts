import type { AuditRecord } from '../../../src/events/record.ts';
import { casesOn, type FieldCase } from './case.ts';
import { bindingObject, podSpec, rec, roleObject, serviceObject } from './events.ts';

/** A kube-audit-rest line: one AdmissionReview with its receive time. */
export function review(request: Record<string, unknown>): AuditRecord {
  return rec(
    {
      kind: 'AdmissionReview',
      apiVersion: 'admission.k8s.io/v1',
      request: {
        uid: '5d1c7a1e-3f0b-4f7e-9a3c-1f2e3d4c5b6a',
        userInfo: { username: 'carol', groups: ['ops', 'system:authenticated'] },
        dryRun: false,
        ...request,
      },
      requestReceivedTimestamp: '2026-11-02T10:15:30.234567891Z',
    },
    'k8s_admission',
  );
}

const K = 'kar.req.pod.containers';

const pod = review({
  resource: { group: '', version: 'v1', resource: 'pods' },
  name: 'web',
  namespace: 'default',
  operation: 'CREATE',
  object: { kind: 'Pod', metadata: { name: 'web' }, spec: podSpec() },
  oldObject: null,
});

const exec = review({
  resource: { group: '', version: 'v1', resource: 'pods' },
  subResource: 'exec',
  name: 'db-0',
  namespace: 'prod',
  operation: 'CONNECT',
  object: { kind: 'PodExecOptions', stdin: true, command: ['sh', '-c', 'id'], container: 'db' },
});

/** kar.* fields of the k8s_admission source. */
export const KAR_CASES: FieldCase[] = [
  ...casesOn(pod, [
    ['kar.uid', undefined, '5d1c7a1e-3f0b-4f7e-9a3c-1f2e3d4c5b6a', 'request.uid'],
    ['kar.timestamp', undefined, '2026-11-02T10:15:30.234567891Z', 'RFC 3339 text'],
    ['kar.user.name', undefined, 'carol', 'userInfo.username'],
    ['kar.user.groups', undefined, ['ops', 'system:authenticated'], 'userInfo.groups'],
    ['kar.verb', undefined, 'CREATE', 'operation, upper case'],
    ['kar.target.name', undefined, 'web', 'request.name'],
    ['kar.target.namespace', undefined, 'default', 'request.namespace'],
    ['kar.target.resource', undefined, 'pods', 'request.resource.resource'],
    ['kar.target.subresource', undefined, undefined, 'none'],
    ['kar.req.pod.host_ipc', undefined, 'false', 'hostIPC'],
    ['kar.req.pod.host_network', undefined, 'true', 'hostNetwork'],
    ['kar.req.pod.host_pid', undefined, undefined, 'unset'],
    ['kar.req.pod.run_as_user', undefined, '1000', 'pod runAsUser'],
    ['kar.req.pod.run_as_group', undefined, '3000', 'pod runAsGroup'],
    ['kar.req.pod.fs_group', undefined, '2000', 'fsGroup'],
    ['kar.req.pod.supplemental_groups', undefined, ['4000', '5000'], 'supplementalGroups'],
    [`${K}.image`, undefined, ['registry:5000/team/web:1.2@sha256:abcd', 'busybox'], 'images'],
    [`${K}.image.repository`, undefined, ['registry:5000/team/web', 'busybox'], 'repositories'],
    [`${K}.image`, '5', undefined, 'out of range'],
    [`${K}.host_port`, undefined, ['8080', '443'], 'ports'],
    [`${K}.privileged`, undefined, ['true'], 'privileged'],
    [`${K}.allow_privilege_escalation`, undefined, ['false'], 'ape'],
    [`${K}.read_only_fs`, undefined, ['true'], 'rofs'],
    [`${K}.run_as_user`, undefined, ['0'], 'runAsUser'],
    [`${K}.eff_run_as_user`, undefined, ['0', '1000'], 'effective uid'],
    [`${K}.run_as_group`, undefined, ['10'], 'runAsGroup'],
    [`${K}.eff_run_as_group`, undefined, ['3000', '10'], 'effective gid'],
    [`${K}.proc_mount`, undefined, ['Unmasked'], 'procMount'],
    [`${K}.add_capabilities`, '0', ['["NET_ADMIN","SYS_TIME"]'], 'capabilities'],
    ['kar.req.pod.volumes.hostpath', undefined, ['/proc', '/var/run/docker.sock'], 'hostPath'],
    ['kar.req.pod.volumes.flexvolume_driver', undefined, ['example.com/lvm'], 'flexVolume'],
    ['kar.req.pod.volumes.volume_type', '0', ['hostPath'], 'volume type'],
    ['kar.req.configmap.name', undefined, 'web', 'request.name'],
    ['ka.user.name', undefined, undefined, 'ka.* never reads an AdmissionReview'],
  ]),
  ...casesOn(review({ operation: 'CREATE', object: { kind: 'Pod', spec: { hostPID: true } } }), [
    ['kar.req.pod.host_pid', undefined, 'true', 'hostPID'],
    [`${K}.privileged`, undefined, undefined, 'no containers -> absent'],
  ]),
  ...casesOn(exec, [
    ['kar.verb', undefined, 'CONNECT', 'exec is CONNECT'],
    ['kar.target.subresource', undefined, 'exec', 'subResource'],
    ['kar.req.exec.command', undefined, ['sh', '-c', 'id'], 'one value per word'],
  ]),
  ...casesOn(
    review({
      operation: 'CREATE',
      name: 'cfg',
      object: { kind: 'ConfigMap', data: { k: 'v' }, binaryData: { bin: 'AAEC' } },
    }),
    [
      ['kar.req.configmap.data', undefined, '{"k":"v"}', 'data, not binaryData'],
      ['kar.req.configmap.binary_data', undefined, '{"bin":"AAEC"}', 'binaryData, not data'],
    ],
  ),
  ...casesOn(review({ operation: 'CREATE', object: bindingObject() }), [
    ['kar.req.binding.role', undefined, 'cluster-admin', 'roleRef.name'],
    [
      'kar.req.binding.subjects',
      undefined,
      [
        '{"kind":"User","name":"alice"}',
        '{"kind":"Group","name":"devs"}',
        '{"kind":"ServiceAccount","name":"builder","namespace":"ci"}',
        '{"kind":"ServiceAccount","name":"orphan"}',
      ],
      'subjects as JSON',
    ],
  ]),
  ...casesOn(review({ operation: 'UPDATE', object: roleObject() }), [
    [
      'kar.req.role.rules',
      undefined,
      [
        '{"apiGroups":[""],"resources":["pods","pods/exec"],"verbs":["get","create"]}',
        '{"nonResourceURLs":["/healthz","/metrics"],"verbs":["get"]}',
      ],
      'rules as JSON',
    ],
    ['kar.req.role.rules.apiGroups', undefined, [''], 'apiGroups'],
    ['kar.req.role.rules.nonResourceURLs', undefined, ['/healthz', '/metrics'], 'nonResourceURLs'],
    ['kar.req.role.rules.verbs', '0', ['get', 'create'], 'verbs of rule 0'],
    ['kar.req.role.rules.resources', undefined, ['pods', 'pods/exec'], 'resources'],
  ]),
  ...casesOn(review({ operation: 'CREATE', object: serviceObject() }), [
    ['kar.req.service.type', undefined, 'NodePort', 'spec.type'],
    [
      'kar.req.service.ports',
      undefined,
      ['{"port":80,"nodePort":30080,"protocol":"TCP"}'],
      'ports',
    ],
  ]),
  ...casesOn(
    rec({ kind: 'AdmissionReview', request: { operation: 'CREATE', name: 'x' } }, 'k8s_admission'),
    [
      ['kar.verb', undefined, undefined, 'no request.uid -> every kar.* absent'],
      ['kar.target.name', undefined, undefined, 'no request.uid -> every kar.* absent'],
    ],
  ),
];
