import { inSet, runLength, WORD } from './charsets.ts';
import { type Hit, pushHit } from './finding.ts';
import { TOKEN_FORMATS, type TokenFormat } from './token-formats.ts';

const BY_PREFIX = new Map<string, TokenFormat>();
for (const f of TOKEN_FORMATS) {
  for (const p of f.prefixes) {
    if (BY_PREFIX.has(p)) throw new Error(`token prefix ${p} listed twice`);
    BY_PREFIX.set(p, f);
  }
}

// Longest first, so that at one position `sk-proj-` wins over `sk-`. The alternation of
// literals has no quantifier: each start position costs at most one test per prefix
// sharing its first character.
const PREFIX_RE = new RegExp(
  [...BY_PREFIX.keys()]
    .sort((a, b) => b.length - a.length)
    .map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('|'),
  'g',
);

/**
 * Appends a hit for every prefixed token of the catalogue in `text`. Linear: the prefix
 * search is a quantifier-free alternation, and each candidate costs at most its format's
 * `max` (≤ 500) character tests.
 */
export function findTokens(text: string, hits: Hit[]): void {
  const re = PREFIX_RE;
  re.lastIndex = 0;
  let hasContext: Map<string, boolean> | undefined;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const at = m.index;
    const prefix = m[0];
    const f = BY_PREFIX.get(prefix) as TokenFormat;
    let end = matchBody(text, at, prefix, f);
    if (end > 0 && f.context !== undefined) {
      // Looked up once per text: a search per candidate would be quadratic.
      hasContext ??= new Map();
      let has = hasContext.get(f.context);
      if (has === undefined) {
        has = text.includes(f.context);
        hasContext.set(f.context, has);
      }
      if (!has) end = -1;
    }
    if (end > 0) {
      pushHit(hits, { kind: f.kind, start: at, end, shown: prefix.length });
      re.lastIndex = end;
    } else {
      re.lastIndex = at + 1;
    }
  }
}

// End of the token starting at `at`, or -1: no letter or digit glued to either side, and
// a body run of the format's length.
function matchBody(text: string, at: number, prefix: string, f: TokenFormat): number {
  if (at > 0 && inSet(WORD, prefix.charCodeAt(0)) && inSet(WORD, text.charCodeAt(at - 1))) {
    return -1;
  }
  const from = at + prefix.length;
  const n = runLength(text, from, f.body, f.max + 1);
  if (n < f.min || n > f.max) return -1;
  const end = from + n;
  if (end < text.length && inSet(WORD, text.charCodeAt(end))) return -1;
  if (f.check !== undefined && !f.check(text.slice(from, end))) return -1;
  return end;
}
