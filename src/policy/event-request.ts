import type { PolicyRequest } from './checker.ts';

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** The request attributes the apiserver evaluated for a logged audit event. */
export function requestFromEvent(obj: Readonly<Record<string, unknown>>): PolicyRequest {
  const user = obj.user as Record<string, unknown> | undefined;
  const ref = obj.objectRef as Record<string, unknown> | undefined;
  const groups = Array.isArray(user?.groups)
    ? user.groups.filter((g) => typeof g === 'string')
    : [];
  const base = {
    ...(user === undefined || user === null ? {} : { user: { name: str(user.username), groups } }),
    verb: str(obj.verb),
  };
  if (ref !== undefined && ref !== null && typeof ref === 'object') {
    return {
      ...base,
      isResourceRequest: true,
      namespace: str(ref.namespace),
      apiGroup: str(ref.apiGroup),
      resource: str(ref.resource),
      subresource: str(ref.subresource),
      name: str(ref.name),
    };
  }
  const uri = str(obj.requestURI);
  const q = uri.indexOf('?');
  return { ...base, isResourceRequest: false, path: q < 0 ? uri : uri.slice(0, q) };
}

/** A short label for the resource of an event: `group/resource[/sub]` or the URL path. */
export function resourceLabel(req: PolicyRequest): string {
  if (!req.isResourceRequest) return req.path ?? '';
  const res = req.subresource ? `${req.resource}/${req.subresource}` : (req.resource ?? '');
  return req.apiGroup ? `${req.apiGroup}/${res}` : res;
}
