import type { CheckExpr, Expr } from '../lang/index.ts';

/** Whose timeline: exactly one of these. */
export interface TimelineIdentity {
  readonly user?: string;
  /** `namespace/name` or `namespace:name`. */
  readonly serviceaccount?: string;
  readonly ip?: string;
  /** `resource/name` (cluster-scoped) or `resource/namespace/name`. */
  readonly object?: string;
}

/** An identity option that is missing, doubled or malformed. */
export class TimelineIdentityError extends Error {
  readonly code = 'bad_identity';
}

const AT = { start: 0, end: 0 };

function check(field: string, op: '=' | 'intersects', value: string): CheckExpr {
  const lit = { kind: 'value' as const, value, quoted: true, ...AT };
  return {
    kind: 'check',
    lhs: { kind: 'field', name: field, ...AT },
    op,
    rhs: op === '=' ? lit : { kind: 'list', items: [lit], ...AT },
    ...AT,
  };
}

/**
 * The condition selecting an identity's events, built as a syntax tree so that no text
 * of the user's (a name with quotes, parentheses or `or`) can change its meaning, and a
 * label for the heading. Throws TimelineIdentityError.
 */
export function identityCondition(id: TimelineIdentity): { expr: Expr; label: string } {
  const given = Object.entries(id).filter(([, v]) => v !== undefined);
  if (given.length !== 1) {
    throw new TimelineIdentityError(
      'give exactly one of --user, --serviceaccount, --ip or --object',
    );
  }
  if (id.user !== undefined) {
    return { expr: check('ka.user.name', '=', id.user), label: `user ${id.user}` };
  }
  if (id.serviceaccount !== undefined) {
    const m = /^([^/:]+)[/:]([^/:]+)$/.exec(id.serviceaccount);
    if (m === null) throw new TimelineIdentityError('--serviceaccount takes namespace/name');
    const user = `system:serviceaccount:${m[1]}:${m[2]}`;
    return { expr: check('ka.user.name', '=', user), label: `service account ${m[1]}/${m[2]}` };
  }
  if (id.ip !== undefined) {
    return { expr: check('ka.sourceips', 'intersects', id.ip), label: `source IP ${id.ip}` };
  }
  const parts = (id.object ?? '').split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    throw new TimelineIdentityError('--object takes resource/name or resource/namespace/name');
  }
  const [resource, a, b] = parts as [string, string, string | undefined];
  const checks = [check('ka.target.resource', '=', resource)];
  if (b === undefined) checks.push(check('ka.target.name', '=', a));
  else checks.push(check('ka.target.namespace', '=', a), check('ka.target.name', '=', b));
  return { expr: { kind: 'and', children: checks, ...AT }, label: `object ${id.object}` };
}
