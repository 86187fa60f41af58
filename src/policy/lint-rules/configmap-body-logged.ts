import { CONFIGMAPS, findLeaks } from './body-leaks.ts';
import type { LintRule } from './finding.ts';

/** `configmap-body-logged`: configmaps logged with bodies (often credentials; info only). */
export const CONFIGMAP_BODY_LOGGED: LintRule = {
  code: 'configmap-body-logged',
  severity: 'info',
  summary: 'configmaps are logged at Request or RequestResponse; they often hold credentials',
  check(ctx) {
    return findLeaks(ctx, this, CONFIGMAPS);
  },
};
