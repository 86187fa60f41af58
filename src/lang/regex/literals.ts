import type { RegexNode } from './parse.ts';

/** What a sub-pattern tells about the text it matches. */
interface Facts {
  /** Every text it can match, when they are few. */
  readonly exact?: readonly string[];
  /** Texts one of which every match contains. */
  readonly req?: readonly string[];
}

// Past this many alternatives a set of texts is not worth keeping.
const MAX_SET = 16;
// Classes of at most this many characters are expanded into texts.
const MAX_CLASS = 4;

/**
 * Strings one of which every value the pattern matches must contain, or undefined when
 * the pattern requires none worth a test (none, or one shorter than two characters):
 * `(/[a-z]+)+/(exec|attach)` gives `/exec`, `/attach`. A value holding none of them
 * cannot match, which `String#includes` tells far faster than RE2 (the idea of RE2's
 * prefilter, kept small).
 *
 * @example requiredLiterals(parseRegex('(system:node:|system:kube-).*')) // ['system:node:', 'system:kube-']
 */
export function requiredLiterals(node: RegexNode): readonly string[] | undefined {
  const f = facts(node);
  const req = f.req ?? f.exact;
  if (req === undefined || req.some((s) => s.length < 2)) return undefined;
  return req;
}

function facts(n: RegexNode): Facts {
  switch (n.kind) {
    case 'empty':
    case 'bol':
    case 'eol':
      return { exact: [''] };
    case 'chars':
      return { exact: classTexts(n.set) };
    case 'concat':
      return concatFacts(n.items.map(facts));
    case 'alt': {
      const fs = n.items.map(facts);
      const exact = union(fs.map((f) => f.exact));
      if (exact !== undefined) return { exact };
      return { req: union(fs.map((f) => f.req ?? nonEmpty(f.exact))) };
    }
    case 'repeat':
      return repeatFacts(facts(n.sub), n.min, n.max);
  }
}

function classTexts(set: readonly number[]): readonly string[] | undefined {
  const out: string[] = [];
  for (let i = 0; i < set.length; i += 2) {
    for (let c = set[i] as number; c <= (set[i + 1] as number); c++) {
      if (out.length >= MAX_CLASS) return undefined;
      out.push(String.fromCodePoint(c));
    }
  }
  return out;
}

function concatFacts(items: readonly Facts[]): Facts {
  let run: readonly string[] | undefined = [''];
  let best: readonly string[] | undefined;
  let allExact = true;
  for (const f of items) {
    const joined: readonly string[] | undefined =
      run !== undefined && f.exact !== undefined ? cross(run, f.exact) : undefined;
    if (joined !== undefined) {
      run = joined;
      continue;
    }
    allExact = false;
    best = better(better(best, nonEmpty(run)), f.req ?? nonEmpty(f.exact));
    run = f.exact ?? [''];
  }
  if (allExact) return { exact: run };
  return { req: better(best, nonEmpty(run)) };
}

function repeatFacts(sub: Facts, min: number, max: number): Facts {
  if (min === 0) {
    if (max === 0) return { exact: [''] };
    return max === 1 && sub.exact !== undefined ? { exact: union([sub.exact, ['']]) } : {};
  }
  if (min === max && sub.exact !== undefined) {
    let exact: readonly string[] | undefined = [''];
    for (let k = 0; k < min && exact !== undefined; k++) exact = cross(exact, sub.exact);
    if (exact !== undefined) return { exact };
  }
  return { req: sub.req ?? nonEmpty(sub.exact) };
}

/** Every a + b, or undefined when there would be too many. */
function cross(a: readonly string[], b: readonly string[]): readonly string[] | undefined {
  if (a.length * b.length > MAX_SET) return undefined;
  return [...new Set(a.flatMap((x) => b.map((y) => x + y)))];
}

function union(sets: readonly (readonly string[] | undefined)[]): readonly string[] | undefined {
  const out = new Set<string>();
  for (const s of sets) {
    if (s === undefined) return undefined;
    for (const x of s) out.add(x);
  }
  return out.size > MAX_SET ? undefined : [...out];
}

/** A set of exact texts as a requirement: none when one of them is empty. */
function nonEmpty(exact: readonly string[] | undefined): readonly string[] | undefined {
  return exact === undefined || exact.includes('') ? undefined : exact;
}

/** The more selective requirement: the longer shortest string, then fewer strings. */
function better(
  a: readonly string[] | undefined,
  b: readonly string[] | undefined,
): readonly string[] | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const la = Math.min(...a.map((s) => s.length));
  const lb = Math.min(...b.map((s) => s.length));
  if (la !== lb) return la > lb ? a : b;
  return b.length < a.length ? b : a;
}
