const NS_PER_S = 1_000_000_000n;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

const PLAIN_NS = /^[1-9]\d{9,18}$/;

function split(timeNs: string): { ms: number; frac: string } {
  // The usual case, a time from 1 s to 19 digits of nanoseconds, by string slicing:
  // BigInt arithmetic on every alert cost more than the rest of the formatting.
  if (PLAIN_NS.test(timeNs)) {
    return { ms: Number(timeNs.slice(0, -9)) * 1000, frac: timeNs.slice(-9) };
  }
  let ns: bigint;
  try {
    ns = BigInt(timeNs);
  } catch {
    ns = 0n;
  }
  const s = ns / NS_PER_S;
  const rem = ns % NS_PER_S;
  return { ms: Number(s) * 1000, frac: String(rem < 0n ? -rem : rem).padStart(9, '0') };
}

// Alerts come in time order: the whole-second part of the last one is kept per format.
let isoMs = Number.NaN;
let isoSecond = '';
let lineMs = Number.NaN;
let lineSecond = '';

function isoSecondOf(ms: number): string {
  if (ms !== isoMs) {
    isoMs = ms;
    isoSecond = new Date(ms).toISOString().slice(0, 19);
  }
  return isoSecond;
}

/** `2018-10-25T14:09:12.581541000Z`: the `time` of Falco's JSON alert (UTC, 9 digits). */
export function formatIsoTimeNs(timeNs: string): string {
  const { ms, frac } = split(timeNs);
  return `${isoSecondOf(ms)}.${frac}Z`;
}

/**
 * The time prefix of Falco's text line: local `HH:MM:SS.nnnnnnnnn`, or with `iso`
 * `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn+0000` in UTC (time_format_iso_8601).
 */
export function formatLineTimeNs(timeNs: string, iso = false): string {
  const { ms, frac } = split(timeNs);
  if (iso) return `${isoSecondOf(ms)}.${frac}+0000`;
  if (ms !== lineMs) {
    // Local time of day: the zone offset cannot change within one second.
    const d = new Date(ms);
    lineMs = ms;
    lineSecond = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }
  return `${lineSecond}.${frac}`;
}
