import type { EventSource } from './record.ts';

type Obj = Record<string, unknown>;

/**
 * Deletes what an event carries as bodies: an audit Event's requestObject and
 * responseObject, an AdmissionReview's request.object and request.oldObject. True when
 * it had any. An event over the size limit is then judged on the rest (who, what verb,
 * which object, the response code), which is what most rules read.
 */
export function dropBodies(obj: Obj, source: EventSource): boolean {
  let had = false;
  const from = (o: Obj, keys: readonly string[]): void => {
    for (const k of keys) {
      if (k in o) {
        delete o[k];
        had = true;
      }
    }
  };
  if (source === 'k8s_audit') from(obj, ['requestObject', 'responseObject']);
  else {
    const req = obj.request;
    if (typeof req === 'object' && req !== null && !Array.isArray(req)) {
      from(req as Obj, ['object', 'oldObject']);
    }
  }
  return had;
}
