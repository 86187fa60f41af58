import { type CharSet, charSetsIntersect } from './charset.ts';
import type { RegexNode } from './parse.ts';

/** A character position of the Glushkov automaton: one `chars` node of the pattern. */
interface Position {
  readonly set: CharSet;
  readonly follow: Position[];
}

interface Info {
  readonly nullable: boolean;
  readonly first: readonly Position[];
  readonly last: readonly Position[];
}

class Unsafe extends Error {}

// Past this many positions, or pairs of positions compared, the proof is abandoned and RE2
// runs the pattern: the check stays cheap next to compiling it.
const MAX_POSITIONS = 4096;
const MAX_PAIRS = 1_000_000;

/**
 * Whether V8's backtracking engine runs a full match of `node` in linear time, proved
 * conservatively; returns the node to run without the anchors a full match makes
 * redundant (a leading `^`, a trailing `$`), or undefined when not proved.
 *
 * The proof: quantifiers loop only over single characters (`[a-z]+`), an optional group
 * (`(...)?`) cannot match the empty string, at most one branch of an alternation can,
 * and the pattern is deterministic (Brüggemann-Klein's 1-unambiguity: the characters
 * that can come first, and those that can follow any position, are pairwise disjoint
 * sets). Then every prefix of the input has at most one way to be matched, so a failed
 * path fails at its next character and backtracking does O(pattern) work per input
 * character. Any other `^` or `$` makes the pattern unproved.
 *
 * @example findBacktrackSafe(parseRegex('[0-9a-f]{8}-[0-9a-f]{4}')) // the same node
 * @example findBacktrackSafe(parseRegex('(a+)+$')) // undefined
 */
export function findBacktrackSafe(node: RegexNode): RegexNode | undefined {
  const stripped = stripAnchors(node);
  const positions: Position[] = [];
  let info: Info;
  try {
    info = analyze(stripped, positions);
  } catch (e) {
    if (e instanceof Unsafe) return undefined;
    throw e;
  }
  const budget = { pairs: MAX_PAIRS };
  if (!disjoint(info.first, budget)) return undefined;
  for (const p of positions) if (!disjoint(p.follow, budget)) return undefined;
  return stripped;
}

/** Drops `^` at the start and `$` at the end of the pattern or of each top-level branch. */
export function stripAnchors(node: RegexNode): RegexNode {
  if (node.kind === 'alt') return { kind: 'alt', items: node.items.map(stripAnchors) };
  if (node.kind === 'bol' || node.kind === 'eol') return { kind: 'empty' };
  if (node.kind !== 'concat') return node;
  let lo = 0;
  let hi = node.items.length;
  while (lo < hi && node.items[lo]?.kind === 'bol') lo++;
  while (hi > lo && node.items[hi - 1]?.kind === 'eol') hi--;
  const items = node.items.slice(lo, hi);
  if (items.length === 0) return { kind: 'empty' };
  return items.length === 1 ? (items[0] as RegexNode) : { kind: 'concat', items };
}

function position(set: CharSet, positions: Position[]): Position {
  if (positions.length >= MAX_POSITIONS) throw new Unsafe();
  const p: Position = { set, follow: [] };
  positions.push(p);
  return p;
}

function analyze(node: RegexNode, positions: Position[]): Info {
  switch (node.kind) {
    case 'empty':
      return { nullable: true, first: [], last: [] };
    case 'chars': {
      const p = position(node.set, positions);
      return { nullable: false, first: [p], last: [p] };
    }
    case 'bol':
    case 'eol':
      throw new Unsafe();
    case 'repeat':
      return analyzeRepeat(node, positions);
    case 'alt': {
      const infos = node.items.map((n) => analyze(n, positions));
      // Two branches matching the empty string are two ways to match the same text.
      if (infos.filter((i) => i.nullable).length > 1) throw new Unsafe();
      return {
        nullable: infos.some((i) => i.nullable),
        first: infos.flatMap((i) => i.first),
        last: infos.flatMap((i) => i.last),
      };
    }
    case 'concat': {
      let acc: Info = { nullable: true, first: [], last: [] };
      for (const item of node.items) {
        const next = analyze(item, positions);
        for (const p of acc.last) p.follow.push(...next.first);
        acc = {
          nullable: acc.nullable && next.nullable,
          first: acc.nullable ? [...acc.first, ...next.first] : acc.first,
          last: next.nullable ? [...acc.last, ...next.last] : next.last,
        };
      }
      return acc;
    }
  }
}

function analyzeRepeat(node: Extract<RegexNode, { kind: 'repeat' }>, positions: Position[]): Info {
  if (node.max === 0) return { nullable: true, first: [], last: [] };
  if (node.sub.kind === 'chars') {
    const p = position(node.sub.set, positions);
    // A loop (any count above one) follows itself; counted loops are over-approximated.
    if (node.max !== 1) p.follow.push(p);
    return { nullable: node.min === 0, first: [p], last: [p] };
  }
  // Loops over groups are where backtracking explodes: only `?` (and `{1}`) pass.
  if (node.max !== 1) throw new Unsafe();
  const info = analyze(node.sub, positions);
  if (node.min === 0 && info.nullable) throw new Unsafe();
  return { ...info, nullable: node.min === 0 || info.nullable };
}

function disjoint(ps: readonly Position[], budget: { pairs: number }): boolean {
  budget.pairs -= (ps.length * (ps.length - 1)) / 2;
  if (budget.pairs < 0) return false;
  for (let i = 0; i < ps.length; i++) {
    for (let j = i + 1; j < ps.length; j++) {
      const a = ps[i] as Position;
      const b = ps[j] as Position;
      if (a === b || charSetsIntersect(a.set, b.set)) return false;
    }
  }
  return true;
}
