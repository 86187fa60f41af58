import { LOAD_LIMITS } from './limits.ts';
import type { CompiledList } from './lists.ts';
import type { MappedText, TextPiece } from './mapped-text.ts';

const BLANKS = ' \t\n\r';
const DELIMS = `${BLANKS}(),=`;

// compiler.cpp quote_item: items with a space are wrapped in double quotes.
function quoteItem(v: string): string {
  return v.includes(' ') && v[0] !== '"' && v[0] !== "'" ? `"${v}"` : v;
}

// resolve_list joins with ", " only after a non-empty start: leading empty items vanish.
function joinItems(items: readonly string[]): string {
  let out = '';
  for (const v of items) {
    if (out !== '') out += ', ';
    out += quoteItem(v);
  }
  return out;
}

/**
 * A substitution that would make the condition longer than LOAD_LIMITS.conditionChars,
 * or insert more than LOAD_LIMITS.conditionValues items into it (each at least a value
 * once parsed: stopping here spares parsing them only to refuse the condition after).
 */
export interface TooLong {
  readonly kind: 'too-long';
  readonly limit: 'chars' | 'items';
  readonly list: string;
  /** Where the list name that crossed the limit is, in the text being substituted. */
  readonly text: MappedText;
  readonly start: number;
  readonly end: number;
}

// The output so far: runs of the input text and inserted items, in order. A run can
// shrink from its end (the blanks and comma a substitution eats before a name).
type Part =
  | { readonly kind: 'input'; readonly from: number; to: number }
  | {
      readonly kind: 'items';
      readonly text: string;
      length: number;
      readonly origin: number;
      readonly list: string;
    };

class Output {
  readonly parts: Part[] = [];
  length = 0;
  constructor(private readonly input: string) {}

  /** The last character written, if any. */
  tail(): string | undefined {
    const p = this.parts[this.parts.length - 1];
    if (p === undefined) return undefined;
    return p.kind === 'input' ? this.input[p.to - 1] : p.text[p.length - 1];
  }

  /** Takes back the last character written. */
  eat(): void {
    const p = this.parts[this.parts.length - 1] as Part;
    if (p.kind === 'input') p.to--;
    else p.length--;
    this.length--;
    if ((p.kind === 'input' ? p.to - p.from : p.length) === 0) this.parts.pop();
  }

  copy(from: number, to: number): void {
    if (to > from) this.parts.push({ kind: 'input', from, to });
    this.length += to - from;
  }

  insert(text: string, origin: number, list: string): void {
    this.parts.push({ kind: 'items', text, length: text.length, origin, list });
    this.length += text.length;
  }
}

/**
 * Falco's TEXTUAL list substitution (compiler.cpp resolve_list) of one list: every
 * occurrence of the name bounded by start/end or ` \t\n\r(),=` becomes the items joined
 * with `, `, the blanks around the name eaten and one space put on each side; an empty
 * list also eats one adjacent comma; the search resumes after the inserted items. Falco
 * rebuilds the whole string at each occurrence; this builds the result once, so a
 * condition naming a list many times costs time linear in its length. Returns undefined
 * if the name does not occur, and TooLong past `maxChars` or when the items inserted
 * pass `budget.items` (which each insertion decreases, so one budget serves every list).
 */
export function substituteList(
  cond: MappedText,
  list: CompiledList,
  maxChars: number = LOAD_LIMITS.conditionChars,
  budget: { items: number } = { items: LOAD_LIMITS.conditionValues },
): MappedText | TooLong | undefined {
  const name = list.name;
  const s = cond.text;
  let at = name === '' ? -1 : s.indexOf(name);
  if (at === -1) return undefined;
  const items = joinItems(list.items);
  const out = new Output(s);
  let rest = 0;
  while (at !== -1) {
    const nameEnd = at + name.length;
    if (!isDelim(at > rest ? s[at - 1] : out.tail()) || !isDelim(s[nameEnd])) {
      at = s.indexOf(name, at + 1);
      continue;
    }
    out.copy(rest, at);
    const end = eatAround(out, s, nameEnd, items === '');
    const text = `${out.length > 0 ? ' ' : ''}${items} `;
    const tooLong = (limit: TooLong['limit']): TooLong => ({
      kind: 'too-long',
      limit,
      list: name,
      text: cond,
      start: at,
      end: nameEnd,
    });
    if (out.length + text.length + (s.length - end) > maxChars) return tooLong('chars');
    budget.items -= list.items.length;
    if (budget.items < 0) return tooLong('items');
    // Falco resumes one past the inserted items: at the rest of the text, or one further
    // when the items start the text (no leading space was added).
    const skip = out.length > 0 ? 0 : 1;
    out.insert(text, at, name);
    rest = end;
    at = s.indexOf(name, rest + skip);
  }
  // Every substitution moves `rest` past a name: still 0, the name never stood alone.
  if (rest === 0) return undefined;
  out.copy(rest, s.length);
  return buildText(cond, out.parts);
}

// Eats the blanks around a name (and for an empty list one comma, before it, else after
// it) and returns where the rest of the text starts.
function eatAround(out: Output, s: string, nameEnd: number, empty: boolean): number {
  while (out.length > 0 && BLANKS.includes(out.tail() ?? 'x')) out.eat();
  let end = nameEnd;
  while (end < s.length && BLANKS.includes(s[end] as string)) end++;
  if (empty) {
    if (out.length > 0 && out.tail() === ',') out.eat();
    else if (s[end] === ',') end++;
  }
  return end;
}

// A name is bounded by the text's ends (undefined) or a delimiter.
function isDelim(c: string | undefined): boolean {
  return c === undefined || DELIMS.includes(c);
}

/**
 * The text of `parts` with its origins: input runs keep theirs, inserted items map (not
 * exactly) to where the list name was and record the list (TextPiece.list, for
 * explanations). Offsets only grow, so one
 * pass over the input's pieces serves every part.
 */
function buildText(cond: MappedText, parts: readonly Part[]): MappedText {
  const src = cond.pieces;
  const pieces: TextPiece[] = [];
  const chunks: string[] = [];
  let j = 0;
  let at = 0;
  for (const p of parts) {
    if (p.kind === 'input') {
      while (j < src.length && (src[j] as TextPiece).at + (src[j] as TextPiece).length <= p.from)
        j++;
      for (let k = j; k < src.length && (src[k] as TextPiece).at < p.to; k++) {
        const q = src[k] as TextPiece;
        const a = Math.max(q.at, p.from);
        const b = Math.min(q.at + q.length, p.to);
        if (a >= b) continue;
        const nodeOffset = q.exact ? q.nodeOffset + (a - q.at) : q.nodeOffset;
        pieces.push({ ...q, at: at + a - p.from, length: b - a, nodeOffset });
      }
      chunks.push(cond.text.slice(p.from, p.to));
      at += p.to - p.from;
      continue;
    }
    const origin = locateFrom(src, j, p.origin);
    if (origin !== undefined) {
      const nodeOffset = origin.exact
        ? origin.nodeOffset + (p.origin - origin.at)
        : origin.nodeOffset;
      pieces.push({
        at,
        length: p.length,
        node: origin.node,
        nodeOffset,
        exact: false,
        list: p.list,
      });
    }
    chunks.push(p.text.slice(0, p.length));
    at += p.length;
  }
  return { text: chunks.join(''), pieces };
}

// locateText's choice from piece `j` on: the piece holding `offset`, else one ending there.
function locateFrom(src: readonly TextPiece[], j: number, offset: number): TextPiece | undefined {
  let best: TextPiece | undefined;
  for (let k = j; k < src.length && (src[k] as TextPiece).at <= offset; k++) {
    const q = src[k] as TextPiece;
    if (offset < q.at + q.length) return q;
    if (offset === q.at + q.length) best = q;
  }
  return best;
}

/**
 * Substitutes every compiled list, in order, marking the ones that occur as used.
 * Returns TooLong when a substitution would pass LOAD_LIMITS.conditionChars, or the
 * items inserted in all would pass LOAD_LIMITS.conditionValues.
 */
export function substituteLists(
  cond: MappedText,
  lists: ReadonlyMap<string, CompiledList>,
): MappedText | TooLong {
  let t = cond;
  const budget = { items: LOAD_LIMITS.conditionValues };
  for (const list of lists.values()) {
    const next = substituteList(t, list, LOAD_LIMITS.conditionChars, budget);
    if (next === undefined) continue;
    if ('kind' in next) return next;
    t = next;
    list.used = true;
  }
  return t;
}
