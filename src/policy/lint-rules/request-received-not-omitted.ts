import { createFinding, type LintRule } from './finding.ts';

/** `request-received-not-omitted`: events are written twice (RequestReceived + ResponseComplete). */
export const REQUEST_RECEIVED_NOT_OMITTED: LintRule = {
  code: 'request-received-not-omitted',
  severity: 'warning',
  summary:
    'the RequestReceived stage is logged, which roughly doubles the volume for little information',
  check(ctx) {
    const { policy } = ctx;
    if ((policy.omitStages ?? []).includes('RequestReceived')) return [];
    // Level None writes nothing, and a rule may omit the stage itself.
    const affected = policy.rules.flatMap((r, i) =>
      r.level !== 'None' && !(r.omitStages ?? []).includes('RequestReceived') ? [i] : [],
    );
    if (affected.length === 0) return [];
    const list = affected.map((i) => `rules[${i}]`).join(', ');
    const message = `RequestReceived is not omitted, so ${list} log every request twice; add omitStages: ["RequestReceived"] at the top level`;
    const path = policy.omitStages === undefined ? '' : 'omitStages';
    return [createFinding(ctx, this, path, message, { affectedRules: affected })];
  },
};
