import { createHash } from 'node:crypto';
import type { LoadedRule } from '../../rules/index.ts';

/**
 * What a stateful rule's stored state depends on: its correlation, suppression, source
 * and output. A rule whose fingerprint changed (edited, then reloaded or restarted)
 * starts with empty state rather than with groups built under other conditions.
 */
export function ruleFingerprint(rule: LoadedRule): string {
  const c = rule.correlation;
  const text = JSON.stringify({
    source: rule.source,
    output: rule.output,
    suppress: rule.suppress ?? null,
    correlation:
      c === undefined
        ? null
        : {
            kind: c.kind,
            windowMs: c.windowMs,
            by: c.by,
            count: c.count,
            field: c.field ?? null,
            steps: c.steps.map((s) => [s.name, s.compiledCondition, s.by]),
          },
  });
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
