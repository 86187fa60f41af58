import {
  type CorrelationSpec,
  formatDuration,
  type KeyTerm,
  type LoadedRule,
  type SuppressSpec,
} from '../../rules/index.ts';

// Sigma's name for each kind (docs/correlation.md maps them).
const SIGMA: Readonly<Record<CorrelationSpec['kind'], string>> = {
  threshold: 'Sigma event_count',
  distinct: 'Sigma value_count',
  sequence: 'Sigma temporal_ordered, EQL sequence',
  unordered: 'Sigma temporal',
};

/** A term as written: its label, and the template when the label names it otherwise. */
function term(t: KeyTerm): string {
  const bare = t.template === `%${t.label}`;
  return bare || t.template === t.label ? t.label : `${t.label} = ${t.template}`;
}

function terms(ts: readonly KeyTerm[]): string {
  return ts.length === 0 ? '(none: one group)' : ts.map(term).join(', ');
}

function describeKind(c: CorrelationSpec): string[] {
  const lines = [
    `correlation: ${c.kind} (${SIGMA[c.kind]})`,
    `  within: ${formatDuration(c.windowMs)}`,
    `  group by: ${terms(c.by)}`,
  ];
  if (c.kind === 'threshold') {
    lines.push(`  threshold: ${c.count} matching events`);
  } else if (c.kind === 'distinct') {
    lines.push(
      `  threshold: ${c.count} distinct values of ${c.field === undefined ? '?' : term(c.field)}`,
    );
  } else {
    lines.push(
      `  steps (${c.steps.length}${c.kind === 'sequence' ? ', in order' : ', any order'}):`,
    );
  }
  if (c.kind === 'sequence' || c.kind === 'unordered') {
    c.steps.forEach((s, i) => {
      lines.push(`    ${i + 1}. ${s.name}: ${s.compiledCondition}`);
      if (s.by.length > 0) lines.push(`       joined by: ${terms(s.by)}`);
    });
  } else {
    lines.push(`  condition: ${c.steps[0]?.compiledCondition ?? ''}`);
  }
  return lines;
}

function describeSuppress(s: SuppressSpec): string[] {
  return [`suppress: one alert per key within ${formatDuration(s.windowMs)}, by ${terms(s.by)}`];
}

/**
 * What `rules explain` says of a stateful rule: its correlation (kind, window, group-by
 * terms, threshold, distinct field or steps with their join terms) and its suppression.
 * Empty for a plain rule.
 */
export function describeStateful(rule: LoadedRule): string[] {
  const lines: string[] = [];
  if (rule.correlation !== undefined) lines.push(...describeKind(rule.correlation));
  if (rule.suppress !== undefined) lines.push(...describeSuppress(rule.suppress));
  return lines.length === 0 ? [] : ['', ...lines];
}
