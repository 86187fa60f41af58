const NS_PER_S = 1_000_000_000n;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function split(timeNs: string): { ms: number; frac: string } {
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

/** `2018-10-25T14:09:12.581541000Z`: the `time` of Falco's JSON alert (UTC, 9 digits). */
export function formatIsoTimeNs(timeNs: string): string {
  const { ms, frac } = split(timeNs);
  const d = new Date(ms);
  return `${d.toISOString().slice(0, 19)}.${frac}Z`;
}

/**
 * The time prefix of Falco's text line: local `HH:MM:SS.nnnnnnnnn`, or with `iso`
 * `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn+0000` in UTC (time_format_iso_8601).
 */
export function formatLineTimeNs(timeNs: string, iso = false): string {
  const { ms, frac } = split(timeNs);
  const d = new Date(ms);
  if (iso) return `${d.toISOString().slice(0, 19)}.${frac}+0000`;
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${frac}`;
}
