import type { AuditRecord, EventSource } from '../events/index.ts';
import type { FieldRegistry } from '../fields/field.ts';
import {
  type DecidingPart,
  decidingParts,
  type ExplainedField,
  type ExplainedNode,
  explainCondition,
  type PartResult,
} from '../lang/index.ts';
import type { LoadedRule } from '../rules/index.ts';

/** A check that decided a rule's result, with the macros and exception it sits in. */
export interface DecidingCheck {
  readonly check: string;
  readonly result: PartResult;
  readonly fields?: readonly ExplainedField[];
  readonly matched?: readonly string[];
  /** The macros the check sits in, outermost first. */
  readonly macros?: readonly string[];
  readonly exception?: string;
}

/**
 * Why a rule did or did not match one event: its condition (lists and macros expanded,
 * exceptions added) as a tree with each part's value, plus the summary a rule author
 * asks for first. Plain data: it travels in alerts, JSON lines and worker messages.
 */
export interface RuleExplanation {
  readonly rule: string;
  /** The rule's whole condition, exceptions included, held on the event. */
  readonly matched: boolean;
  /** The condition held but this exception's clause matched too, so the rule did not. */
  readonly suppressedBy?: string;
  /**
   * The checks that decided the result: on a near miss the parts that failed (each with
   * the value it had), on a match the parts that held.
   */
  readonly deciding: readonly DecidingCheck[];
  readonly condition: ExplainedNode;
}

function toDecidingCheck(p: DecidingPart): DecidingCheck {
  const n = p.node;
  return {
    check: n.text ?? '',
    result: n.result,
    ...(n.fields === undefined ? {} : { fields: n.fields }),
    ...(n.matched === undefined ? {} : { matched: n.matched }),
    ...(p.macros.length > 0 ? { macros: p.macros } : {}),
    ...(p.exception === undefined ? {} : { exception: p.exception }),
  };
}

/**
 * The exception whose clause stopped a rule whose own condition held: the root is
 * `(<cond>) and not (<clause>) ...` and the first false part is an exception's clause.
 */
function findSuppression(root: ExplainedNode): string | undefined {
  if (root.kind !== 'and' || root.result !== 'false') return undefined;
  const own = root.children?.[0];
  if (own === undefined || own.result !== 'true' || own.exception !== undefined) return undefined;
  return root.children?.find((c) => c.result === 'false')?.exception;
}

/**
 * Explains one rule on one event by evaluating its condition part by part (the
 * interpreter's semantics, which the compiled engine is tested to agree with).
 *
 * @example explainRule(rule, record, defaultFieldRegistry).deciding[0]?.check
 */
export function explainRule(
  rule: LoadedRule,
  rec: AuditRecord,
  registry: FieldRegistry,
): RuleExplanation {
  const condition = explainCondition(rule.condition, rec, {
    registry,
    source: rule.source as EventSource,
  });
  const suppressedBy = findSuppression(condition);
  return {
    rule: rule.name,
    matched: condition.result === 'true',
    ...(suppressedBy === undefined ? {} : { suppressedBy }),
    deciding: decidingParts(condition).map(toDecidingCheck),
    condition,
  };
}
