/** Outcome of parsing one JSON text. */
export type ParsedJson =
  | { readonly ok: true; readonly value: unknown }
  | {
      readonly ok: false;
      readonly reason: 'invalid_json' | 'too_deep';
      readonly message: string;
      /** 1-based column of a syntax error (computed on demand). */
      readonly column?: () => number | undefined;
    };

const OPEN_BRACE = 123;
const OPEN_BRACKET = 91;
const CLOSE_BRACE = 125;
const CLOSE_BRACKET = 93;
const QUOTE = 34;
const BACKSLASH = 92;

/**
 * True when the text has fewer than `maxDepth + 1` opening brackets at all, so it cannot
 * nest deeper. Counting with indexOf costs ~3% of JSON.parse on a 3.6 KB event; the exact
 * scan below costs ~20%, so it only runs on texts that fail this test.
 */
function hasFewBrackets(text: string, maxDepth: number): boolean {
  let n = 0;
  let i = -1;
  while ((i = text.indexOf('{', i + 1)) !== -1) if (++n > maxDepth) return false;
  i = -1;
  while ((i = text.indexOf('[', i + 1)) !== -1) if (++n > maxDepth) return false;
  return true;
}

/**
 * Maximum bracket nesting of a JSON text, ignoring brackets inside strings; stops
 * counting once past `maxDepth`. On malformed text the result is only an estimate,
 * which is fine: JSON.parse then reports the syntax error.
 */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one pass over every character of every event; a flat loop with no calls is what keeps it cheap
export function measureDepth(text: string, maxDepth: number): number {
  let depth = 0;
  let max = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Jump to the closing quote: one not preceded by an odd run of backslashes.
      let j = i;
      for (;;) {
        j = text.indexOf('"', j + 1);
        if (j === -1) return max;
        let k = j - 1;
        while (text.charCodeAt(k) === BACKSLASH) k--;
        if ((j - k) % 2 === 1) break;
      }
      i = j;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) {
        max = depth;
        if (max > maxDepth) return max;
      }
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return max;
}

/** Whether a prefix could still grow into valid JSON (JSON.parse fails only at its end). */
function isViablePrefix(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return true;
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /at position (\d+)/.exec(msg);
    if (pos !== null) return Number(pos[1]) >= prefix.length;
    return msg.includes('Unexpected end of JSON input');
  }
}

/**
 * 1-based column of a JSON syntax error. V8 says "at position N" for most errors; for
 * "Unexpected token" it shows only a snippet, so we binary-search the longest prefix that
 * JSON.parse still accepts as unfinished. Runs only for reported errors.
 */
export function locateJsonError(text: string, message: string): number {
  const pos = /at position (\d+)/.exec(message);
  if (pos !== null) return Number(pos[1]) + 1;
  if (message.includes('Unexpected end of JSON input')) return text.length + 1;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (isViablePrefix(text.slice(0, mid))) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

// Control characters (terminal escapes) and line separators from attacker text.
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Escapes characters that must not reach a terminal or a log line raw. */
export function escapeForMessage(text: string): string {
  return text.replace(UNSAFE_CHARS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** V8's message minus the echoed input snippet (attacker text), made printable. */
function cleanJsonMessage(message: string): string {
  const m = /^(Unexpected token '[\s\S]*?'), [\s\S]* is not valid JSON$/.exec(message);
  return escapeForMessage(m === null ? message : (m[1] as string));
}

/** Parses JSON text without throwing, rejecting nesting deeper than `maxDepth`. */
export function parseJsonText(text: string, maxDepth: number): ParsedJson {
  if (
    text.length > 2 * maxDepth &&
    !hasFewBrackets(text, maxDepth) &&
    measureDepth(text, maxDepth) > maxDepth
  ) {
    return { ok: false, reason: 'too_deep', message: `JSON nested deeper than ${maxDepth} levels` };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    // V8's parser is iterative today, but a RangeError (stack or memory) must not escape.
    if (err instanceof RangeError) {
      return { ok: false, reason: 'too_deep', message: `JSON too deep to parse: ${err.message}` };
    }
    const raw = (err as Error).message;
    return {
      ok: false,
      reason: 'invalid_json',
      message: cleanJsonMessage(raw),
      column: () => locateJsonError(text, raw),
    };
  }
}
