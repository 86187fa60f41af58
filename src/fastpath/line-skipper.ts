import type { Expr } from '../lang/ast.ts';
import type { Header } from './header.ts';
import { scanHeader, warmUpHeaderScan } from './header-scan.ts';
import { createLiteralFilter } from './literal-filter.ts';
import { createPrefilter, type PrefilterEnv } from './prefilter.ts';

// kube-apiserver writes every log line of one event with this prefix; the literal test
// only runs on such lines so that a skipped line is one event (EventList lines and
// arrays go through the header scan, which refuses them, and then the full parse).
const EVENT_PREFIX = '{"kind":"Event"';

/** Options of createLineSkipper. */
export interface LineSkipperOptions {
  /**
   * Also use the literal test. It validates nothing of the line, so an event that is
   * valid JSON but malformed as an audit event (say `"user": "bob"`) and cannot match
   * is skipped unreported; `kaudit query` accepts that for speed, `kaudit scan` does not.
   */
  readonly literals?: boolean;
  /**
   * Asked about a line the header test would skip: true parses it all the same. The
   * correlator's clock is event time, so a line that would move it must reach it.
   */
  readonly keep?: (h: Header) => boolean;
}

/**
 * Combines the raw-line tests, cheapest first: `true` means no condition can match the
 * line, so it need not be parsed. Undefined when no test can ever say so.
 */
export function createLineSkipper(
  conditions: readonly Expr[],
  env: PrefilterEnv,
  opts: LineSkipperOptions = {},
): ((line: string) => boolean) | undefined {
  const literal = opts.literals ? createLiteralFilter(conditions) : undefined;
  const header = createPrefilter(conditions, env);
  const keep = opts.keep;
  if (literal === undefined && header === undefined) return undefined;
  if (header !== undefined) warmUpHeaderScan();
  return (line) => {
    if (
      literal !== undefined &&
      line.startsWith(EVENT_PREFIX) &&
      // A cut-off line (the common kind of damage) goes on to the parse and is reported.
      line.charCodeAt(line.length - 1) === 0x7d &&
      !literal(line)
    ) {
      return true;
    }
    if (header === undefined) return false;
    const h = scanHeader(line);
    if (h === undefined || header(h)) return false;
    return keep === undefined || !keep(h);
  };
}
