// Rules files that are small text standing for far more: the shapes of issue #11's
// "Rules files that cannot blow up", generated at any size.

/** A k8s_audit rule item with this condition. */
export function ruleItem(name: string, condition: string): string {
  return [
    `- rule: ${name}`,
    '  desc: d',
    `  condition: ${condition}`,
    '  output: hit %ka.verb',
    '  priority: WARNING',
    '  source: k8s_audit',
    '',
  ].join('\n');
}

/**
 * `levels` lists, each anchoring a flow sequence of `fanout` aliases to the one before:
 * the last stands for fanout^levels items.
 */
export function anchorBomb(levels: number, fanout: number): string {
  const lines = ['- list: l0', `  items: &a0 [${Array(fanout).fill('x').join(', ')}]`];
  for (let i = 1; i <= levels; i++) {
    lines.push(
      `- list: l${i}`,
      `  items: &a${i} [${Array(fanout)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  }
  return `${lines.join('\n')}\n${ruleItem('r', `ka.verb in (l${levels})`)}`;
}

/**
 * The anchor bomb inside a rule's exception values, where nested sequences are read (a
 * value may be a list): `levels` anchored tuples, each of `fanout` aliases to the one
 * before, the last standing for fanout^levels values.
 */
export function exceptionAnchorBomb(levels: number, fanout: number): string {
  const tuples = [`&a0 [${Array(fanout).fill('x').join(', ')}]`];
  for (let i = 1; i <= levels; i++) {
    tuples.push(
      `&a${i} [${Array(fanout)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  }
  return [
    ruleItem('r', 'ka.verb = get').trimEnd(),
    '  exceptions:',
    '  - name: e',
    '    fields: [ka.verb]',
    `    values: [${tuples.join(', ')}]`,
    '',
  ].join('\n');
}

/** Macro m0 is a check; m<i> is `(m<i-1> or m<i-1>)`; a rule uses the last. */
export function macroDoubling(levels: number): string {
  const lines = ['- macro: m0', '  condition: ka.verb = get'];
  for (let i = 1; i <= levels; i++) {
    lines.push(`- macro: m${i}`, `  condition: (m${i - 1} or m${i - 1})`);
  }
  return `${lines.join('\n')}\n${ruleItem('r', `m${levels}`)}`;
}

/** List `big` of `n` items, list `copy` built from it, and a rule using `copy`. */
export function bigList(n: number): string {
  const items = Array.from({ length: n }, (_, i) => `v${i}`).join(',');
  return `- list: big\n  items: [${items}]\n- list: copy\n  items: [big]\n${ruleItem('r', 'ka.verb in (copy)')}`;
}

/** m1 appended with a reference to m2, which names m1: a two-macro cycle. */
export function macroCycle(): string {
  return [
    '- macro: m1',
    '  condition: ka.verb = get',
    '- macro: m2',
    '  condition: ka.verb = list and m1',
    '- macro: m1',
    '  condition: or m2',
    '  append: true',
    ruleItem('r', 'm1'),
  ].join('\n');
}

/** A condition of `levels` parentheses, each adding an `or`, an `and` and a `not` level. */
export function deepCondition(levels: number): string {
  let inner = 'ka.verb = z';
  for (let i = 0; i < levels; i++) inner = `(ka.verb = a or ka.verb = b and not ${inner})`;
  return ruleItem('r', inner);
}

/** The 1-based line and column of the `nth` (0-based) occurrence of `needle` in `text`. */
export function positionOf(
  text: string,
  needle: string,
  nth = 0,
): { readonly line: number; readonly column: number } {
  let at = text.indexOf(needle);
  for (let i = 0; i < nth && at !== -1; i++) at = text.indexOf(needle, at + 1);
  if (at === -1) throw new Error(`'${needle}' not in the text`);
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return { line, column: at - before.lastIndexOf('\n') };
}
