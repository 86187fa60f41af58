import { parseTimestampNs } from '../events/index.ts';

/** A `--since`, `--until` or `--at` that is neither an RFC 3339 time nor a duration. */
export class TimeBoundError extends Error {
  readonly code = 'bad_time_bound';
}

const UNIT_NS: Readonly<Record<string, bigint>> = {
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
};

// `90s`, `30m`, `1h`, `2d`, or several joined (`1h30m`), as a responder types them.
const DURATION = /^(?:\d{1,9}[smhd])+$/;

/** Nanoseconds of a duration such as `1h30m`; undefined when it is not one. */
export function parseDurationNs(text: string): bigint | undefined {
  if (!DURATION.test(text)) return undefined;
  let ns = 0n;
  for (const [, n, unit] of text.matchAll(/(\d+)([smhd])/g)) {
    ns += BigInt(n as string) * (UNIT_NS[unit as string] as bigint);
  }
  return ns;
}

/**
 * The instant a time option names, in nanoseconds since the epoch: an RFC 3339 time
 * (any offset), or a duration before `nowNs` (`1h` is an hour before it). Throws
 * TimeBoundError for anything else.
 *
 * @example parseTimeBound('30m', 3_600_000_000_000n) // 1_800_000_000_000n
 */
export function parseTimeBound(text: string, nowNs: bigint): bigint {
  const t = text.trim();
  const duration = parseDurationNs(t);
  if (duration !== undefined) return nowNs - duration;
  const ns = parseTimestampNs(t);
  if (ns === undefined) {
    throw new TimeBoundError(
      `'${text}' is neither an RFC 3339 time (2026-03-02T10:00:00Z) nor a duration (30m, 1h, 2d)`,
    );
  }
  return BigInt(ns);
}
