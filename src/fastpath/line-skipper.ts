import type { Expr } from '../lang/ast.ts';
import { scanHeader } from './header-scan.ts';
import { createLiteralFilter } from './literal-filter.ts';
import { createPrefilter, type PrefilterEnv } from './prefilter.ts';

// kube-apiserver writes every log line of one event with this prefix; the literal test
// only runs on such lines so that a skipped line is one event (EventList lines and
// arrays go through the header scan, which refuses them, and then the full parse).
const EVENT_PREFIX = '{"kind":"Event"';

/**
 * Combines the two raw-line tests, cheapest first: `true` means no condition can match
 * the line, so it need not be parsed. Undefined when neither test can ever say so.
 */
export function createLineSkipper(
  conditions: readonly Expr[],
  env: PrefilterEnv,
): ((line: string) => boolean) | undefined {
  const literal = createLiteralFilter(conditions);
  const header = createPrefilter(conditions, env);
  if (literal === undefined && header === undefined) return undefined;
  return (line) => {
    if (literal !== undefined && line.startsWith(EVENT_PREFIX) && !literal(line)) return true;
    if (header === undefined) return false;
    const h = scanHeader(line);
    return h !== undefined && !header(h);
  };
}
