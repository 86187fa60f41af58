import { findPosition, type Policy, type PositionMap, type SourcePosition } from '../types.ts';

export type Severity = 'error' | 'warning' | 'info';

/** One lint finding: a documented code, its severity, and where it is. */
export interface LintFinding {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  /** Field path, e.g. `rules[2]` or `rules[0].resources[0].resources[1]`. */
  readonly path: string;
  readonly position: SourcePosition;
  /** The rule the finding is about, when it is about one. */
  readonly ruleIndex?: number;
  /** Another rule involved (the shadowing rule, the duplicate's original). */
  readonly relatedRule?: number;
  /** Every rule affected, for policy-level findings. */
  readonly affectedRules?: readonly number[];
}

/** What every lint rule sees. */
export interface LintContext {
  readonly policy: Policy;
  readonly positions: PositionMap;
  readonly file: string;
}

/** One finding code: a small, declarative check. */
export interface LintRule {
  readonly code: string;
  readonly severity: Severity;
  /** One line for docs and `--help`. */
  readonly summary: string;
  check(ctx: LintContext): LintFinding[];
}

/** Builds a finding positioned at `path` (or its closest written parent). */
export function createFinding(
  ctx: LintContext,
  rule: Pick<LintRule, 'code' | 'severity'>,
  path: string,
  message: string,
  extra: {
    ruleIndex?: number;
    relatedRule?: number;
    affectedRules?: readonly number[];
    severity?: Severity;
  } = {},
): LintFinding {
  return {
    code: rule.code,
    severity: extra.severity ?? rule.severity,
    message,
    path,
    position: findPosition(ctx.positions, path, ctx.file),
    ...(extra.ruleIndex === undefined ? {} : { ruleIndex: extra.ruleIndex }),
    ...(extra.relatedRule === undefined ? {} : { relatedRule: extra.relatedRule }),
    ...(extra.affectedRules === undefined ? {} : { affectedRules: extra.affectedRules }),
  };
}
