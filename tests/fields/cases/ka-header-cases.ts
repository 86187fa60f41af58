import { casesOn, type FieldCase } from './case.ts';
import { forbidden, podCreate, podExec, rec } from './events.ts';

const EXEC_URI =
  '/api/v1/namespaces/prod/pods/db-0/exec?command=sh&command=-c&command=cat%20%2Fetc%2Fshadow&container=db&msg=a+b%2Bc&stdin=true';

const pod = rec(podCreate());
const exec = rec(podExec(EXEC_URI));
const denied = rec(forbidden());
const noAudit = (() => {
  const o = podCreate();
  delete o.auditID;
  return rec(o);
})();

/** Header (metadata-level) ka.* fields. */
export const KA_HEADER_CASES: FieldCase[] = [
  ...casesOn(pod, [
    ['ka.auditid', undefined, '7c2b3f0e-1d2a-4e5b-9c8d-0a1b2c3d4e5f', 'auditID'],
    ['ka.stage', undefined, 'ResponseComplete', 'stage'],
    ['ka.auth.decision', undefined, 'allow', 'decision annotation'],
    [
      'ka.auth.reason',
      undefined,
      'RBAC: allowed by RoleBinding "dev/default"',
      'reason annotation',
    ],
    ['ka.auth.openshift.decision', undefined, undefined, 'annotation missing -> absent'],
    ['ka.user.name', undefined, 'alice@example.com', 'user.username'],
    ['ka.user.groups', undefined, ['developers', 'system:authenticated'], 'list of groups'],
    ['ka.impuser.name', undefined, undefined, 'no impersonation -> absent'],
    ['ka.verb', undefined, 'create', 'verb'],
    [
      'ka.uri',
      undefined,
      '/api/v1/namespaces/default/pods?fieldManager=kubectl-client-side-apply',
      'requestURI raw',
    ],
    ['ka.target.name', undefined, undefined, 'generateName pod has no objectRef.name'],
    ['ka.target.namespace', undefined, 'default', 'objectRef.namespace'],
    ['ka.target.resource', undefined, 'pods', 'objectRef.resource'],
    ['ka.target.subresource', undefined, undefined, 'no subresource -> absent'],
    ['ka.target.pod.name', undefined, 'web-7d9f2', 'generated name from responseObject'],
    ['ka.resp.name', undefined, 'web-7d9f2', 'responseObject.metadata.name'],
    ['ka.response.code', undefined, '201', 'number rendered as text'],
    ['ka.response.reason', undefined, undefined, 'success has no reason'],
    ['ka.useragent', undefined, 'kubectl/v1.30.1 (linux/amd64) kubernetes/7c4de8e', 'userAgent'],
    ['ka.sourceips', undefined, ['10.0.0.12', '192.168.1.5'], 'top-level sourceIPs'],
    ['ka.sourceips', '1', ['192.168.1.5'], 'index selects one address'],
    ['ka.sourceips', '2', undefined, 'index out of range -> absent'],
    ['ka.cluster.name', undefined, undefined, 'vanilla apiserver sets no cluster_name'],
    ['ka.uri.param', 'fieldManager', 'kubectl-client-side-apply', 'query parameter'],
  ]),
  ...casesOn(exec, [
    ['ka.stage', undefined, 'ResponseStarted', 'exec is logged when the stream starts'],
    ['ka.impuser.name', undefined, 'system:admin', 'impersonatedUser.username'],
    ['ka.target.name', undefined, 'db-0', 'objectRef.name'],
    ['ka.target.subresource', undefined, 'exec', 'objectRef.subresource'],
    ['ka.target.pod.name', undefined, undefined, 'subresource -> absent'],
    ['ka.response.code', undefined, '101', 'switching protocols'],
    ['ka.uri.param', 'command', 'sh', 'first of repeated values'],
    ['ka.uri.param', 'container', 'db', 'single value'],
    ['ka.uri.param', 'msg', 'a b+c', '+ is a space, %2B a plus'],
    ['ka.uri.param', 'tty', undefined, 'missing parameter -> absent'],
    ['ka.auth.reason', undefined, '', 'empty annotation is present and empty'],
    ['ka.auth.openshift.decision', undefined, 'allow', 'openshift decision annotation'],
    ['ka.auth.openshift.username', undefined, 'bob@corp', 'openshift username annotation'],
    [
      'ka.validations.admission.policy.failure',
      undefined,
      '[{"message":"no exec"}]',
      'VAP failure annotation',
    ],
    [
      'ka.security.pod.violations',
      undefined,
      'privileged (container "db")',
      'PSA violations annotation',
    ],
    ['ka.cluster.name', undefined, 'prod-eu-1', 'cluster_name annotation'],
    ['ka.sourceips', '0', ['172.16.0.9'], 'index 0'],
    ['ka.req.configmap.name', undefined, 'db-0', 'objectRef.name whatever the resource'],
  ]),
  ...casesOn(rec(podExec('/api/v1/x/exec?command=%zz&container=db')), [
    ['ka.uri.param', 'container', undefined, 'bad escape elsewhere fails the whole query'],
  ]),
  ...casesOn(rec(podExec('/api/v1/x/exec?command=ls;container=db')), [
    ['ka.uri.param', 'command', undefined, 'semicolon separator is rejected'],
  ]),
  ...casesOn(rec(podExec('/api/v1/x/exec?command=caf%C3%A9#frag=1')), [
    ['ka.uri.param', 'command', 'café', 'UTF-8 percent-escapes decode; fragment ignored'],
    ['ka.uri.param', 'frag', undefined, 'fragment is not query'],
  ]),
  ...casesOn(denied, [
    ['ka.auth.decision', undefined, 'forbid', 'forbid'],
    ['ka.response.code', undefined, '403', 'failure code'],
    ['ka.response.reason', undefined, 'Forbidden', 'responseStatus.reason'],
    ['ka.user.groups', undefined, undefined, 'groups not an array -> absent'],
    ['ka.target.namespace', undefined, 'kube-system', 'namespace'],
    ['ka.sourceips', undefined, undefined, 'no sourceIPs -> absent'],
    ['ka.uri.param', 'x', undefined, 'URI without query -> absent'],
  ]),
  ...casesOn(noAudit, [
    ['ka.user.name', undefined, undefined, 'no auditID -> every ka.* absent'],
    ['ka.verb', undefined, undefined, 'no auditID -> every ka.* absent'],
    ['ka.req.pod.containers.name', undefined, undefined, 'no auditID -> every ka.* absent'],
    ['ka.req.container.privileged', undefined, undefined, 'no auditID -> every ka.* absent'],
    ['ka.req.binding.subject.has_name', 'x', undefined, 'no auditID -> every ka.* absent'],
    ['jevt.value', '/verb', 'create', 'json fields do not need auditID'],
  ]),
];
