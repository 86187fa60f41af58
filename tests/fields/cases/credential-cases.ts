import type { AuditRecord } from '../../../src/events/record.ts';
import { auditEvent } from '../../helpers/events.ts';
import { casesOn, type FieldCase } from './case.ts';
import { rec } from './events.ts';
import { review } from './kar-cases.ts';

// Built from pieces so that no token-shaped literal sits in the repository.
const TOKEN = `ghp_${'a1B2c3D4e5'.repeat(3)}f6G7h8`;
const MASKED = 'ghp_…G7h8 (40 chars)';
const K = 'ka.req.credentials';

function write(
  verb: string,
  objectRef: Record<string, unknown>,
  requestObject: unknown,
): AuditRecord {
  return rec(auditEvent({ verb, objectRef, requestObject }));
}

const configmap = (data: Record<string, string>) => ({ kind: 'ConfigMap', data });
const cm = { resource: 'configmaps', namespace: 'shop', name: 'app', apiVersion: 'v1' };

const leaky = write('create', cm, configmap({ T: TOKEN, U: 'postgres://u:Pa55w0rd@db/x' }));
const clean = write('update', cm, configmap({ LOG_LEVEL: 'info' }));
const secret = write('create', { ...cm, resource: 'secrets' }, configmap({ T: TOKEN }));
const lease = write(
  'update',
  { resource: 'leases', apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease', name: 'n1' },
  { spec: { holderIdentity: TOKEN } },
);
const read = write('get', cm, configmap({ T: TOKEN }));
const status = write(
  'patch',
  { ...cm, resource: 'pods', subresource: 'status' },
  { status: { m: TOKEN } },
);
const debug = write(
  'patch',
  { ...cm, resource: 'pods', subresource: 'ephemeralcontainers' },
  { spec: { ephemeralContainers: [{ name: 'dbg', env: [{ name: 'X', value: TOKEN }] }] } },
);
const custom = write(
  'create',
  { resource: 'widgets', apiGroup: 'example.io', namespace: 'shop', name: 'w' },
  { spec: { url: TOKEN } },
);
const noAuditId = (() => {
  const e = auditEvent({ verb: 'create', objectRef: cm, requestObject: configmap({ T: TOKEN }) });
  delete e.auditID;
  return rec(e);
})();
const metadataLevel = (() => {
  const e = auditEvent({ verb: 'create', objectRef: cm });
  delete e.requestObject;
  return rec(e);
})();

const kar = (operation: string, resource: string, subResource?: string): AuditRecord =>
  review({
    resource: { group: '', version: 'v1', resource },
    ...(subResource === undefined ? {} : { subResource }),
    name: 'app',
    namespace: 'shop',
    operation,
    object: configmap({ T: TOKEN }),
  });

const absent = (r: AuditRecord, why: string) =>
  casesOn(r, [
    [K, undefined, undefined, why],
    [`${K}.count`, undefined, undefined, why],
    [`${K}.truncated`, undefined, undefined, why],
  ]);

/** ka.req.credentials* and kar.req.credentials*. */
export const CREDENTIAL_CASES: FieldCase[] = [
  ...casesOn(leaky, [
    [K, undefined, ['github-token@data.T', 'password-in-url@data.U'], 'kind@place per finding'],
    [`${K}.kinds`, undefined, ['github-token', 'password-in-url'], 'distinct kinds'],
    [`${K}.count`, undefined, '2', 'number of findings'],
    [
      `${K}.preview`,
      undefined,
      [`github-token@data.T ${MASKED}`, 'password-in-url@data.U … (8 chars)'],
      'masked previews',
    ],
    [`${K}.truncated`, undefined, 'false', 'the whole object was read'],
  ]),
  ...casesOn(clean, [
    [K, undefined, undefined, 'no finding: an empty list is absent'],
    [`${K}.kinds`, undefined, undefined, 'no finding'],
    [`${K}.count`, undefined, '0', 'a scanned request holds none'],
    [`${K}.preview`, undefined, undefined, 'no finding'],
    [`${K}.truncated`, undefined, 'false', 'scanned in full'],
  ]),
  ...absent(secret, 'secrets are where credentials belong: not scanned'),
  ...absent(lease, 'leases: a busy built-in not scanned'),
  ...absent(read, 'a read is not scanned'),
  ...absent(status, 'subresources are not scanned'),
  ...absent(noAuditId, 'no ka.* field without an auditID'),
  ...absent(metadataLevel, 'no request object at Metadata level'),
  ...casesOn(debug, [
    [K, undefined, ['github-token@ephemeralContainers[dbg].env[X]'], 'ephemeral containers are'],
  ]),
  ...casesOn(custom, [[K, undefined, ['github-token@spec.url'], 'custom resources are']]),
  ...casesOn(kar('CREATE', 'configmaps'), [
    ['kar.req.credentials', undefined, ['github-token@data.T'], 'request.object of a CREATE'],
    ['kar.req.credentials.kinds', undefined, ['github-token'], 'distinct kinds'],
    ['kar.req.credentials.count', undefined, '1', 'number of findings'],
    ['kar.req.credentials.preview', undefined, [`github-token@data.T ${MASKED}`], 'masked'],
    ['kar.req.credentials.truncated', undefined, 'false', 'read in full'],
  ]),
  ...casesOn(kar('UPDATE', 'configmaps'), [
    ['kar.req.credentials.count', undefined, '1', 'UPDATE too'],
  ]),
  ...casesOn(kar('DELETE', 'configmaps'), [
    ['kar.req.credentials.count', undefined, undefined, 'not a DELETE'],
  ]),
  ...casesOn(kar('CREATE', 'secrets'), [
    ['kar.req.credentials.count', undefined, undefined, 'not secrets'],
  ]),
  ...casesOn(kar('UPDATE', 'configmaps', 'status'), [
    ['kar.req.credentials.count', undefined, undefined, 'not a subresource'],
  ]),
];
