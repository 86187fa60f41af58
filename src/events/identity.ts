import type { AuditRecord } from './record.ts';

/**
 * What makes an event unique, for suppressing repeats: the apiserver's auditID and the
 * stage (one request gives an event per stage), or an admission request's uid. Events
 * without one (some managed-cluster exports) have no identity and are never merged.
 */
export function eventIdentity(rec: AuditRecord): string | undefined {
  const o = rec.obj;
  if (rec.source === 'k8s_audit') {
    const id = o.auditID;
    return typeof id === 'string' && id !== '' ? `${id}/${String(o.stage ?? '')}` : undefined;
  }
  const req = o.request;
  const uid = req !== null && typeof req === 'object' ? (req as { uid?: unknown }).uid : undefined;
  return typeof uid === 'string' && uid !== '' ? `admission/${uid}` : undefined;
}
