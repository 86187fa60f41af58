import type { FieldRegistry } from '../fields/field.ts';
import type { CheckExpr, Expr, Operand } from '../lang/ast.ts';
import { MSG } from './messages.ts';
import { isFieldDefined } from './read-exceptions.ts';

/** A condition warning with offsets into the text its node was parsed from. */
export interface ConditionWarning {
  readonly code: 'LOAD_UNSAFE_NA_CHECK' | 'LOAD_COMPILE_CONDITION';
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

const NA_OPERATORS = new Set(['=', '==', '!=', 'in', 'intersects', 'pmatch']);

const TRANSFORMER_TEXT = /^\s*(tolower|toupper|b64|basename|len)\s*\((.*)\)\s*$/;

function fieldNameOf(op: Operand): string {
  return op.kind === 'field' ? op.name : fieldNameOf(op.arg);
}

function checkWarnings(
  e: CheckExpr,
  registry: FieldRegistry,
  source: string,
  out: ConditionWarning[],
): void {
  const rhs = e.rhs;
  if (rhs === undefined) return;
  const field = fieldNameOf(e.lhs);
  // Plugin fields (ka.*, jevt.*) are absent rather than "<NA>" since the plugin era.
  const unsafeField = field.startsWith('ka.') || field.startsWith('jevt.');
  if (unsafeField && NA_OPERATORS.has(e.op)) {
    const values = rhs.kind === 'value' ? [rhs] : rhs.kind === 'list' ? rhs.items : [];
    if (values.some((v) => v.value === '<NA>')) {
      out.push({
        code: 'LOAD_UNSAFE_NA_CHECK',
        message: MSG.unsafeNaCheck,
        start: e.start,
        end: e.end,
      });
    }
  }
  if (rhs.kind !== 'value') return;
  const text = rhs.value;
  const m = TRANSFORMER_TEXT.exec(text);
  if (m !== null && isFieldDefined(registry, source, m[2] ?? '')) {
    out.push({
      code: 'LOAD_COMPILE_CONDITION',
      message: MSG.transformerAsString(text),
      start: rhs.start,
      end: rhs.end,
    });
  } else if (
    /^\s*[a-zA-Z]+[a-zA-Z0-9_]*(\.[a-zA-Z]+[a-zA-Z0-9_]*)+\s*$/.test(text) &&
    isFieldDefined(registry, source, text)
  ) {
    out.push({
      code: 'LOAD_COMPILE_CONDITION',
      message: MSG.fieldAsString(text),
      start: rhs.start,
      end: rhs.end,
    });
  }
}

/**
 * Warnings for a parsed (not yet expanded) condition: `<NA>` comparisons on plugin fields
 * (LOAD_UNSAFE_NA_CHECK) and right-hand values that spell a known field or transformer
 * (LOAD_COMPILE_CONDITION), as Falco's warning resolver and filter compiler report.
 */
export function findConditionWarnings(
  expr: Expr,
  registry: FieldRegistry,
  source: string,
): ConditionWarning[] {
  const out: ConditionWarning[] = [];
  const visit = (e: Expr): void => {
    if (e.kind === 'and' || e.kind === 'or') e.children.forEach(visit);
    else if (e.kind === 'not') visit(e.child);
    else if (e.kind === 'check') checkWarnings(e, registry, source, out);
  };
  visit(expr);
  return out;
}
