/**
 * fnmatch(3) patterns as JS regular expressions, the way Falco's `glob`/`iglob` call
 * fnmatch without FNM_PATHNAME (so `*` also matches `/`) and with FNM_CASEFOLD for
 * `iglob`: `*` any run, `?` one character, `[...]` a class (`!` or `^` negates, `]` first is
 * literal, ranges with `-`), `\` makes the next character literal.
 */
export function compileGlob(pattern: string, caseFold: boolean): RegExp {
  return new RegExp(`^${globToRegexSource(pattern)}$`, caseFold ? 'is' : 's');
}

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/-]/g;

function escapeRegex(s: string): string {
  return s.replace(REGEX_SPECIAL, '\\$&');
}

export function globToRegexSource(pattern: string): string {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === '*') {
      out += '[\\s\\S]*';
      i++;
    } else if (c === '?') {
      out += '[\\s\\S]';
      i++;
    } else if (c === '\\') {
      // A trailing backslash matches itself, as glibc does.
      out += escapeRegex(pattern[i + 1] ?? '\\');
      i += 2;
    } else if (c === '[') {
      const cls = readClass(pattern, i);
      if (cls === undefined) {
        out += '\\[';
        i++;
      } else {
        out += cls.source;
        i = cls.end;
      }
    } else {
      out += escapeRegex(c);
      i++;
    }
  }
  return out;
}

// Reads `[...]` starting at `start`; undefined when unclosed (then `[` is literal).
function readClass(p: string, start: number): { source: string; end: number } | undefined {
  let i = start + 1;
  let negate = false;
  if (p[i] === '!' || p[i] === '^') {
    negate = true;
    i++;
  }
  const items: string[] = [];
  let firstItem = true;
  while (i < p.length) {
    let c = p[i] as string;
    if (c === ']' && !firstItem) {
      if (items.length === 0) return undefined;
      const body = items.join('');
      return { source: negate ? `[^${body}]` : `[${body}]`, end: i + 1 };
    }
    firstItem = false;
    if (c === '\\' && i + 1 < p.length) {
      i++;
      c = p[i] as string;
    }
    if (p[i + 1] === '-' && p[i + 2] !== undefined && p[i + 2] !== ']') {
      let hi = p[i + 2] as string;
      let skip = 3;
      if (hi === '\\' && p[i + 3] !== undefined) {
        hi = p[i + 3] as string;
        skip = 4;
      }
      // An inverted range matches nothing in glibc; a JS class would throw.
      items.push(c <= hi ? `${escapeRegex(c)}-${escapeRegex(hi)}` : '');
      i += skip;
      continue;
    }
    items.push(escapeRegex(c));
    i++;
  }
  return undefined;
}
