const BACKSLASH = 92;
const LBRACE = 123;
const RBRACE = 125;
const LBRACKET = 91;
const RBRACKET = 93;

/** Index just past the string whose opening quote is at `q`, or -1 if it never ends. */
function skipString(text: string, q: number): number {
  let j = q;
  for (;;) {
    j = text.indexOf('"', j + 1);
    if (j === -1) return -1;
    if (text.charCodeAt(j - 1) !== BACKSLASH) return j + 1;
    // An escaped quote only if the run of backslashes before it is odd.
    let k = j - 1;
    while (text.charCodeAt(k) === BACKSLASH) k--;
    if ((j - k - 1) % 2 === 0) return j + 1;
  }
}

/**
 * The text of each object element of the arrays at `depth` (1: a top-level array of
 * events; 2: the `items` of an EventList) in a JSON text already known to be valid. Used
 * to store each event as the client sent it instead of serialising it again. Strings are
 * jumped over with indexOf; only the short stretches between them are looked at one
 * character at a time. Returns undefined when the text ends inside a string.
 */
export function splitArrayObjects(text: string, depth: 1 | 2): string[] | undefined {
  const out: string[] = [];
  // Container kinds by depth: true for an array.
  const isArray: boolean[] = [];
  let d = 0;
  let start = -1;
  let pos = 0;
  const n = text.length;
  while (pos < n) {
    const q = text.indexOf('"', pos);
    const end = q === -1 ? n : q;
    for (let i = pos; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === LBRACE || c === LBRACKET) {
        if (c === LBRACE && d === depth && isArray[d - 1] === true) start = i;
        isArray[d] = c === LBRACKET;
        d++;
      } else if (c === RBRACE || c === RBRACKET) {
        d--;
        if (c === RBRACE && d === depth && start !== -1) {
          out.push(text.slice(start, i + 1));
          start = -1;
        }
      }
    }
    if (q === -1) break;
    pos = skipString(text, q);
    if (pos === -1) return undefined;
  }
  return out;
}
