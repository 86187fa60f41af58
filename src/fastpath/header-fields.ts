import type { Expr, Operand, Rhs } from '../lang/ast.ts';

/**
 * k8s_audit fields whose value depends only on members the header scan reads exactly
 * (auditID, stage, verb, requestURI, user.username, objectRef.*, responseStatus.code, the
 * decision annotation, stageTimestamp): on a Header standing in for the event they give the same value
 * as on the full event, absence included.
 */
const HEADER_FIELDS: ReadonlySet<string> = new Set([
  'ka.auditid',
  'ka.stage',
  'ka.verb',
  'ka.uri',
  'ka.uri.param',
  'ka.user.name',
  'ka.target.resource',
  'ka.target.subresource',
  'ka.target.namespace',
  'ka.target.name',
  'ka.response.code',
  'ka.auth.decision',
  // The record's time comes from stageTimestamp, which the header holds; source-wide
  // constants need nothing at all. (evt.num does differ: it is not here.)
  'jevt.rawtime',
  'json.rawtime',
  'evt.time',
  'evt.time.s',
  'evt.time.iso8601',
  'evt.datetime',
  'evt.datetime.s',
  'evt.rawtime',
  'evt.rawtime.s',
  'evt.rawtime.ns',
  'evt.source',
  'evt.pluginname',
  'evt.is_async',
  'evt.asynctype',
  'evt.hostname',
]);

/** JSON pointers (jevt.value / json.value) onto a scalar member the header holds. */
const HEADER_POINTERS: ReadonlySet<string> = new Set([
  '/kind',
  '/apiVersion',
  '/auditID',
  '/stage',
  '/verb',
  '/requestURI',
  '/user/username',
  '/objectRef/resource',
  '/objectRef/subresource',
  '/objectRef/namespace',
  '/objectRef/name',
  '/objectRef/apiGroup',
  '/responseStatus/code',
  '/annotations/authorization.k8s.io~1decision',
  '/stageTimestamp',
]);

const POINTER_FIELDS: ReadonlySet<string> = new Set(['jevt.value', 'json.value']);

function isHeaderOperand(o: Operand): boolean {
  if (o.kind === 'transform') return isHeaderOperand(o.arg);
  if (HEADER_FIELDS.has(o.name)) return true;
  return POINTER_FIELDS.has(o.name) && o.arg !== undefined && HEADER_POINTERS.has(o.arg);
}

function isHeaderRhs(r: Rhs | undefined): boolean {
  if (r === undefined || r.kind === 'value' || r.kind === 'list') return true;
  if (r.kind === 'val') return isHeaderOperand(r.field);
  return isHeaderOperand(r);
}

/** True when every field the expression reads can be read from a Header. */
export function readsOnlyHeader(e: Expr): boolean {
  switch (e.kind) {
    case 'check':
      return isHeaderOperand(e.lhs) && isHeaderRhs(e.rhs);
    case 'and':
    case 'or':
      return e.children.every(readsOnlyHeader);
    case 'not':
      return readsOnlyHeader(e.child);
    case 'macro':
      return false;
  }
}
