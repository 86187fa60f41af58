import { type MappedText, spliceText } from './mapped-text.ts';
import { at, ITEM, MSG, type Reporter } from './messages.ts';
import type { Collection } from './model.ts';

/** A list after expanding references to earlier lists. */
export interface CompiledList {
  readonly name: string;
  readonly items: readonly string[];
  used: boolean;
}

/**
 * Compiles lists in definition order (compiler.cpp compile_list_infos): an item naming a
 * list visible to this one (defined earlier) is replaced by that list's items. An item
 * naming a list defined later stays a literal string, as in Falco; we also warn
 * (LOAD_UNKNOWN_ITEM) because that is almost always a mistake in the file's order.
 */
export function compileLists(col: Collection, reporter: Reporter): Map<string, CompiledList> {
  const out = new Map<string, CompiledList>();
  const usedNames: string[] = [];
  for (const list of col.lists.values()) {
    const items: string[] = [];
    for (const item of list.items) {
      const ref = col.lists.get(item.value);
      if (ref !== undefined && ref.index < list.visibility) {
        const compiled = out.get(ref.name);
        items.push(...(compiled?.items ?? ref.items.map((i) => i.value)));
        usedNames.push(ref.name);
        continue;
      }
      if (ref !== undefined && ref !== list) {
        const where = ref.ctx[ref.ctx.length - 1]?.position;
        reporter.warn(
          'LOAD_UNKNOWN_ITEM',
          MSG.listDefinedLater(item.value, ref.name, where),
          at(list.ctx, item.node, ITEM.listItem, item.value),
          { end: item.node.end },
        );
      }
      items.push(item.value);
    }
    out.set(list.name, { name: list.name, items, used: false });
  }
  for (const name of usedNames) {
    const entry = out.get(name);
    if (entry !== undefined) entry.used = true;
  }
  return out;
}

const BLANKS = ' \t\n\r';
const DELIMS = `${BLANKS}(),=`;

// compiler.cpp quote_item: items with a space are wrapped in double quotes.
function quoteItem(v: string): string {
  return v.includes(' ') && v[0] !== '"' && v[0] !== "'" ? `"${v}"` : v;
}

/**
 * Falco's TEXTUAL list substitution (compiler.cpp resolve_list) of one list: every
 * occurrence of the name bounded by start/end or ` \t\n\r(),=` becomes the items joined
 * with `, `; an empty list also eats one adjacent comma. Returns undefined if unused.
 */
export function substituteList(cond: MappedText, list: CompiledList): MappedText | undefined {
  const name = list.name;
  if (name === '') return undefined;
  let t = cond;
  let used = false;
  let start = t.text.indexOf(name);
  while (start !== -1) {
    if (isWholeName(t.text, start, start + name.length)) {
      const sub = list.items.map(quoteItem).join(', ');
      const span = replacedSpan(t.text, start, start + name.length, sub === '');
      const replacement = `${span.start > 0 ? ' ' : ''}${sub} `;
      t = spliceText(t, span.start, span.end, replacement, start, name);
      // Falco resumes searching one past the inserted items.
      start = span.start + sub.length + 1;
      used = true;
    }
    start = t.text.indexOf(name, start + 1);
  }
  return used ? t : undefined;
}

/** Whether s[start, end) stands alone: bounded by the text's ends or by delimiters. */
function isWholeName(s: string, start: number, end: number): boolean {
  return (
    (start === 0 || DELIMS.includes(s[start - 1] ?? '')) &&
    (end >= s.length || DELIMS.includes(s[end] ?? ''))
  );
}

/**
 * The text a list name's substitution replaces: the name with the blanks around it,
 * and, for an empty list, one adjacent comma (before it, else after it).
 */
function replacedSpan(
  s: string,
  nameStart: number,
  nameEnd: number,
  empty: boolean,
): { start: number; end: number } {
  let start = nameStart;
  let end = nameEnd;
  while (start > 0 && BLANKS.includes(s[start - 1] ?? '')) start--;
  while (end < s.length && BLANKS.includes(s[end] ?? '')) end++;
  if (empty) {
    if (start > 0 && s[start - 1] === ',') start--;
    else if (end < s.length && s[end] === ',') end++;
  }
  return { start, end };
}

/** Substitutes every compiled list, in order, marking the ones that occur as used. */
export function substituteLists(
  cond: MappedText,
  lists: ReadonlyMap<string, CompiledList>,
): MappedText {
  let t = cond;
  for (const list of lists.values()) {
    const next = substituteList(t, list);
    if (next !== undefined) {
      t = next;
      list.used = true;
    }
  }
  return t;
}
