import { createRequire } from 'node:module';
import type { StringMatcher } from '../string-matcher.ts';
import { requiredLiterals } from './literals.ts';
import { parseRegex } from './parse.ts';
import { printRe2Regex, printV8Regex } from './print.ts';
import { findBacktrackSafe } from './safe.ts';
import { findSearchForm } from './search.ts';

/** A compiled pattern: `test` answers a full match of the whole value. */
export interface RegexMatcher extends StringMatcher {
  /** Which engine runs it: V8's own (proved linear) or RE2 (re2js). */
  readonly engine: 'v8' | 're2';
  /** The source the engine was given. */
  readonly source: string;
}

type Re2js = typeof import('re2js');

// re2js (265 KB) is loaded on the first pattern that needs it: most rule sets have none,
// and importing it costs ~10 ms of start-up. A plain require keeps it out of the bundle,
// which then resolves it from node_modules like any dependency.
let re2js: Re2js | undefined;
function loadRe2js(): Re2js {
  re2js ??= createRequire(import.meta.url)('re2js') as Re2js;
  return re2js;
}

/**
 * Compiles a `regex` operand the way Falco does (RE2, POSIX syntax, anchored at both
 * ends): throws RegexSyntaxError for what RE2 rejects. Patterns proved linear under
 * backtracking run on V8's engine, translated so that both mean the same (V8 is 10 to
 * 40 times faster on short values), and so does the `.*R.*` idiom, as a search for a
 * bounded R (findSearchForm); every other one runs on re2js, RE2's algorithms in
 * JavaScript, in time linear in the value's length.
 *
 * @example compileRegex('(a+)+$').test('a'.repeat(40) + '!') // false, at once
 */
export function compileRegex(pattern: string): RegexMatcher {
  const node = parseRegex(pattern);
  const safe = findBacktrackSafe(node);
  if (safe !== undefined) {
    const source = `^(?:${printV8Regex(safe)})$`;
    const re = new RegExp(source, 'u');
    return { engine: 'v8', source, test: (value) => re.test(value) };
  }
  const search = findSearchForm(node);
  if (search !== undefined) {
    const inner = printV8Regex(search.inner);
    const source = `${search.anyStart ? '' : '^'}(?:${inner})${search.anyEnd ? '' : '$'}`;
    const re = new RegExp(source, 'u');
    return { engine: 'v8', source, test: (value) => !value.includes('\n') && re.test(value) };
  }
  const source = printRe2Regex(node);
  const re = loadRe2js().RE2JS.compile(source);
  // re2js costs 0.4 to 1.5 µs on a short value where includes() costs a few ns: values
  // without a string every match needs never reach it.
  const lits = requiredLiterals(node);
  if (lits === undefined) return { engine: 're2', source, test: (value) => re.testExact(value) };
  const test = (value: string): boolean =>
    lits.some((l) => value.includes(l)) && re.testExact(value);
  return { engine: 're2', source, test };
}
