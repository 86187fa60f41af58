import type { AuditRecord } from '../events/index.ts';
import type { FieldRegistry } from '../fields/field.ts';
import { defaultFieldRegistry } from '../fields/index.ts';
import type { LoadedRule, RuleSelector } from '../rules/index.ts';
import { createEngine, type Engine, type RuleMatching } from './engine.ts';
import { explainRule, type RuleExplanation } from './explain-rule.ts';

/** A rule explained on one event, with what the engine did with it. */
export interface EventExplanation extends RuleExplanation {
  /** The rule runs (enabled, selected, at or above the minimum priority). */
  readonly enabled: boolean;
  /** The engine raised an alert for the rule on this event. */
  readonly fired: boolean;
  /** `rule_matching: first`: the earlier rule that fired on this event instead of this one. */
  readonly firedInstead?: string;
}

/** What explainEvent needs: the loaded rules and how the engine runs them. */
export interface ExplainEventOptions {
  readonly rules: readonly LoadedRule[];
  readonly ruleMatching: RuleMatching;
  readonly selections?: readonly RuleSelector[];
  readonly registry?: FieldRegistry;
}

/**
 * Explains rules on events the way a scan would treat them: each explanation is the
 * condition evaluated part by part, and the engine itself (built once) says whether the
 * rule fired and, under `rule_matching: first`, which earlier rule won instead.
 *
 * @example
 * const explain = createEventExplainer({ rules: loaded.rules, ruleMatching: 'first' });
 * const why = explain(rule, record); // why.fired, why.firedInstead, why.deciding
 */
export function createEventExplainer(
  opts: ExplainEventOptions,
): (rule: LoadedRule, rec: AuditRecord) => EventExplanation {
  const registry = opts.registry ?? defaultFieldRegistry;
  const engine: Engine = createEngine({
    rules: opts.rules,
    ruleMatching: opts.ruleMatching,
    registry,
    ...(opts.selections === undefined ? {} : { selections: opts.selections }),
  });
  const active = new Set(engine.activeRules.map((r) => r.name));
  return (rule, rec) => {
    const explanation = explainRule(rule, rec, registry);
    const alerts = engine.process(rec);
    const fired = alerts.some((a) => a.rule === rule.name);
    const enabled = active.has(rule.name);
    const winner = alerts[0]?.rule;
    const shadowed =
      opts.ruleMatching === 'first' && explanation.matched && enabled && !fired && winner;
    return {
      ...explanation,
      enabled,
      fired,
      ...(shadowed ? { firedInstead: winner } : {}),
    };
  };
}
