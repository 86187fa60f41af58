import type { DecidingCheck, EventExplanation, RuleExplanation } from '../engine/index.ts';
import type { ExplainedField, ExplainedNode, PartResult } from '../lang/index.ts';
import { escapeCell } from './table.ts';

const RESULT_LABEL: Readonly<Record<PartResult, string>> = {
  true: 'true ',
  false: 'false',
  not_evaluated: '-    ',
};

/** A value as JSON text with terminal-unsafe characters escaped (values are event text). */
function quote(v: string): string {
  return escapeCell(JSON.stringify(v));
}

/** `ka.stage: "ResponseComplete"`, `ka.user.groups: ["a","b"]`, `ka.target.subresource: <missing>`. */
export function formatExplainedField(f: ExplainedField): string {
  const cut = f.truncated ? ' (cut)' : '';
  if (f.withheld !== undefined && f.credentials !== undefined) {
    const kinds = f.credentials.map(escapeCell).join(', ');
    return `${escapeCell(f.field)}: <${f.withheld} characters holding a credential (${kinds}), not shown>`;
  }
  if (f.withheld !== undefined)
    return `${escapeCell(f.field)}: <${f.withheld} characters of body, not shown>`;
  if (f.value === undefined || f.value === null) return `${escapeCell(f.field)}: <missing>`;
  if (typeof f.value === 'string') return `${escapeCell(f.field)}: ${quote(f.value)}${cut}`;
  return `${escapeCell(f.field)}: [${f.value.map(quote).join(', ')}]${cut}`;
}

function annotations(n: {
  readonly macros?: readonly string[];
  readonly exception?: string;
  readonly matched?: readonly string[];
  readonly fields?: readonly ExplainedField[];
}): string {
  const parts: string[] = [];
  if (n.macros !== undefined && n.macros.length > 0) parts.push(`[macro ${n.macros.join(' > ')}]`);
  if (n.exception !== undefined) parts.push(`[exception ${n.exception}]`);
  if (n.fields !== undefined && n.fields.length > 0) {
    parts.push(n.fields.map(formatExplainedField).join(', '));
  }
  if (n.matched !== undefined) parts.push(`matched ${n.matched.map(quote).join(', ')}`);
  return parts.length === 0 ? '' : `  ${parts.join('  ')}`;
}

/**
 * The condition as an indented tree, one part per line: its value (`true`, `false`,
 * `-` when not evaluated), the part, the macro or exception it came from, and the field
 * values an evaluated check read.
 */
export function formatExplainedTree(root: ExplainedNode, indent = ''): string[] {
  const lines: string[] = [];
  const visit = (n: ExplainedNode, depth: number): void => {
    const label = n.kind === 'check' ? escapeCell(n.text ?? '') : n.kind;
    lines.push(
      `${indent}${RESULT_LABEL[n.result]}  ${'  '.repeat(depth)}${label}${annotations(n)}`,
    );
    for (const c of n.children ?? []) visit(c, depth + 1);
  };
  visit(root, 0);
  return lines;
}

/** One deciding check on a line: `ka.response.code = 101 is false [macro …]  ka.response.code: "403"`. */
export function formatDecidingCheck(d: DecidingCheck): string {
  return `${escapeCell(d.check)} is ${d.result}${annotations(d)}`;
}

/**
 * The one-line verdict of an explanation: matched, suppressed by an exception, or the
 * first check that failed.
 */
export function formatVerdict(ex: RuleExplanation): string {
  if (ex.matched) return 'matched';
  if (ex.suppressedBy !== undefined) {
    return `no match: suppressed by exception '${escapeCell(ex.suppressedBy)}'`;
  }
  const first = ex.deciding[0];
  return first === undefined ? 'no match' : `no match: ${formatDecidingCheck(first)}`;
}

/** An alert's explanation under its text line: the condition tree, indented. */
export function formatExplanationText(ex: RuleExplanation, indent = '    '): string {
  return formatExplainedTree(ex.condition, indent).join('\n');
}

/** What happened to the rule on the event, in one line (`rules explain --event`). */
export function formatEventVerdict(ex: EventExplanation): string {
  if (ex.fired) return 'alert: the rule matched and fired';
  if (ex.matched && !ex.enabled) return 'no alert: the condition matched, but the rule is disabled';
  if (ex.matched && ex.firedInstead !== undefined) {
    return `no alert: the condition matched, but under rule_matching first the earlier rule '${escapeCell(ex.firedInstead)}' fired on this event`;
  }
  return `no alert: ${formatVerdict(ex).replace(/^no match: /, '')}`;
}

/**
 * A rule explained on one event, for a terminal: the verdict, the checks that decided
 * it (what failed on a near miss, the exception that suppressed it), then the tree.
 */
export function formatEventExplanationText(ex: EventExplanation, event: string): string {
  const lines = [`rule: ${escapeCell(ex.rule)}`, `event: ${escapeCell(event)}`];
  lines.push(`verdict: ${formatEventVerdict(ex)}`);
  if (!ex.matched && ex.deciding.length > 0) {
    lines.push(ex.suppressedBy === undefined ? 'failed:' : 'the exception matched on:');
    for (const d of ex.deciding) lines.push(`  ${formatDecidingCheck(d)}`);
  }
  lines.push('condition (lists and macros expanded, exceptions added):');
  lines.push(...formatExplainedTree(ex.condition, '  '));
  return `${lines.join('\n')}\n`;
}
