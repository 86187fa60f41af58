import { charSetHas, DOT } from './charset.ts';
import { childrenOf, type RegexNode } from './parse.ts';
import { findBacktrackSafe, stripAnchors } from './safe.ts';

/** `.*R.*`, `.*R` or `R.*` read as a search for `R` in a value without newlines. */
export interface SearchForm {
  readonly inner: RegexNode;
  /** `.*` before R: R may start anywhere. */
  readonly anyStart: boolean;
  /** `.*` after R: R may end anywhere. */
  readonly anyEnd: boolean;
}

// Longest text R may match for the search to stay linear: each start costs at most this.
const MAX_INNER_LENGTH = 256;

const isDotStar = (n: RegexNode | undefined): boolean =>
  n?.kind === 'repeat' &&
  n.min === 0 &&
  n.max === -1 &&
  n.sub.kind === 'chars' &&
  n.sub.set.length === DOT.length &&
  n.sub.set.every((x, i) => x === DOT[i]);

/**
 * Recognizes the `.*R.*` idiom of rules (`.*AKIA[0-9A-Z]{16}.*`), which a backtracking
 * full match runs in quadratic time, as a search: the value holds no `\n` (RE2's `.`
 * excludes only that) and R matches somewhere in it (or at its start or end when one
 * `.*` is missing). The search is linear when R is itself proved safe
 * (findBacktrackSafe), matches no `\n` and no more than MAX_INNER_LENGTH characters:
 * each start position then costs a bounded amount. Undefined otherwise.
 *
 * @example findSearchForm(parseRegex('.*AKIA[0-9A-Z]{16}.*')) // { anyStart: true, anyEnd: true, … }
 */
export function findSearchForm(node: RegexNode): SearchForm | undefined {
  const stripped = stripAnchors(node);
  if (stripped.kind !== 'concat') return undefined;
  const items = stripped.items;
  const anyStart = isDotStar(items[0]);
  const anyEnd = isDotStar(items[items.length - 1]);
  if (!anyStart && !anyEnd) return undefined;
  const rest = items.slice(anyStart ? 1 : 0, anyEnd ? -1 : undefined);
  if (rest.length === 0) return undefined;
  const inner: RegexNode =
    rest.length === 1 ? (rest[0] as RegexNode) : { kind: 'concat', items: rest };
  // An anchor inside R would be moved by the rewrite (`.*^a.*` only matches at the start).
  const anchor = (n: RegexNode): boolean => n.kind === 'bol' || n.kind === 'eol';
  const newline = (n: RegexNode): boolean => n.kind === 'chars' && charSetHas(n.set, 0x0a);
  if (anyNode(inner, anchor) || findBacktrackSafe(inner) === undefined) return undefined;
  if (maxLength(inner) > MAX_INNER_LENGTH || anyNode(inner, newline)) return undefined;
  return { inner, anyStart, anyEnd };
}

function maxLength(n: RegexNode): number {
  switch (n.kind) {
    case 'empty':
    case 'bol':
    case 'eol':
      return 0;
    case 'chars':
      return 1;
    case 'concat':
      return n.items.reduce((sum, i) => sum + maxLength(i), 0);
    case 'alt':
      return Math.max(...n.items.map(maxLength));
    case 'repeat':
      return n.max === -1 ? Number.POSITIVE_INFINITY : n.max * maxLength(n.sub);
  }
}

/** Whether `test` holds for the node or any node below it. */
function anyNode(n: RegexNode, test: (n: RegexNode) => boolean): boolean {
  return test(n) || childrenOf(n).some((c) => anyNode(c, test));
}
