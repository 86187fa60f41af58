import { findLeaks, SECRETS } from './body-leaks.ts';
import type { LintRule } from './finding.ts';

/** `sensitive-body-logged`: secrets, service account tokens or token reviews logged with bodies. */
export const SENSITIVE_BODY_LOGGED: LintRule = {
  code: 'sensitive-body-logged',
  severity: 'error',
  summary:
    'secrets, serviceaccounts/token or tokenreviews are logged at Request or RequestResponse',
  check(ctx) {
    return findLeaks(ctx, this, SECRETS);
  },
};
