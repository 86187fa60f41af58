import { casesOn, type FieldCase } from './case.ts';
import { bindingObject, rec, roleObject, serviceObject, submit } from './events.ts';

const binding = rec(submit('clusterrolebindings', bindingObject()));
const role = rec(submit('clusterroles', roleObject()));
const service = rec(submit('services', serviceObject()));
const configmap = rec(
  submit('configmaps', { kind: 'ConfigMap', data: { 'app.conf': 'x=1', token: 's3cr3t' } }),
);

/** Bindings, roles, services and configmaps (ka.req.*). */
export const KA_OBJECT_CASES: FieldCase[] = [
  ...casesOn(binding, [
    [
      'ka.req.binding.subjects',
      undefined,
      [
        '{"kind":"User","name":"alice"}',
        '{"kind":"Group","name":"devs"}',
        '{"kind":"ServiceAccount","name":"builder","namespace":"ci"}',
        '{"kind":"ServiceAccount","name":"orphan"}',
      ],
      'each subject as compact JSON',
    ],
    ['ka.req.binding.subjects.user_names', undefined, ['alice'], 'User subjects'],
    ['ka.req.binding.subjects.group_names', undefined, ['devs'], 'Group subjects'],
    ['ka.req.binding.subjects.serviceaccount_names', undefined, ['builder', 'orphan'], 'SA names'],
    [
      'ka.req.binding.subjects.serviceaccount_ns_names',
      undefined,
      ['ci:builder'],
      'SA without namespace skipped',
    ],
    ['ka.req.binding.role', undefined, 'cluster-admin', 'roleRef.name'],
    ['ka.req.binding.subject.has_name', 'nobody', 'true', 'always true'],
    ['ka.req.role.rules', undefined, undefined, 'a binding has no rules'],
  ]),
  ...casesOn(rec(submit('rolebindings', { kind: 'RoleBinding', subjects: [] })), [
    ['ka.req.binding.subjects', undefined, undefined, 'empty list -> absent'],
    ['ka.req.binding.subjects.user_names', undefined, undefined, 'no subjects -> absent'],
  ]),
  ...casesOn(role, [
    [
      'ka.req.role.rules',
      undefined,
      [
        '{"apiGroups":[""],"resources":["pods","pods/exec"],"verbs":["get","create"]}',
        '{"nonResourceURLs":["/healthz","/metrics"],"verbs":["get"]}',
      ],
      'each rule as compact JSON',
    ],
    ['ka.req.role.rules.apiGroups', undefined, [''], 'the core group is the empty string'],
    ['ka.req.role.rules.apiGroups', '1', undefined, 'rule 1 has no apiGroups'],
    ['ka.req.role.rules.nonResourceURLs', undefined, ['/healthz', '/metrics'], 'flattened'],
    ['ka.req.role.rules.verbs', undefined, ['get', 'create', 'get'], 'flattened over rules'],
    ['ka.req.role.rules.verbs', '1', ['get'], 'index selects a rule'],
    ['ka.req.role.rules.verbs', '2', undefined, 'index out of range'],
    ['ka.req.role.rules.resources', undefined, ['pods', 'pods/exec'], 'resources'],
  ]),
  ...casesOn(service, [
    ['ka.req.service.type', undefined, 'NodePort', 'spec.type'],
    [
      'ka.req.service.ports',
      undefined,
      ['{"port":80,"nodePort":30080,"protocol":"TCP"}'],
      'ports as JSON',
    ],
    ['ka.req.service.ports', '0', ['{"port":80,"nodePort":30080,"protocol":"TCP"}'], 'index 0'],
    ['ka.req.service.ports', '1', undefined, 'index out of range'],
  ]),
  ...casesOn(configmap, [
    ['ka.req.configmap.name', undefined, 'obj-name', 'objectRef.name'],
    ['ka.req.configmap.obj', undefined, '{"app.conf":"x=1","token":"s3cr3t"}', 'data as JSON'],
    ['ka.req.service.type', undefined, undefined, 'a configmap has no spec'],
  ]),
];
