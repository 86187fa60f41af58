/** An event time split into epoch milliseconds (whole seconds) and the 9-digit fraction. */
export interface SplitTime {
  readonly ms: number;
  readonly frac: string;
  readonly s: string;
  readonly ns: string;
}

const NS_DIGITS = /^\d{1,30}$/;

/** Splits a decimal nanosecond string; undefined when it is not one. */
export function splitTimeNs(timeNs: string): SplitTime | undefined {
  if (!NS_DIGITS.test(timeNs)) return undefined;
  const padded = timeNs.padStart(10, '0');
  const s = padded.slice(0, -9).replace(/^0+(?=\d)/, '');
  const frac = padded.slice(-9);
  return { ms: Number(s) * 1000, frac, s, ns: String(Number(frac)) };
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function localDate(d: Date): string {
  return `${String(d.getFullYear()).padStart(4, '0')}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

function localClock(d: Date): string {
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** `HH:MM:SS.nnnnnnnnn` in local time, or `HH:MM:SS` without `frac`. */
export function formatLocalTime(t: SplitTime, frac: boolean): string {
  const clock = localClock(new Date(t.ms));
  return frac ? `${clock}.${t.frac}` : clock;
}

/** `YYYY-MM-DD HH:MM:SS.nnnnnnnnn` in local time, or without the fraction. */
export function formatLocalDateTime(t: SplitTime, frac: boolean): string {
  const d = new Date(t.ms);
  const text = `${localDate(d)} ${localClock(d)}`;
  return frac ? `${text}.${t.frac}` : text;
}

/**
 * `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn+0000` in UTC, as libsinsp's ts_to_iso_8601 writes
 * `%evt.time.iso8601` (strftime's `%z` of a gmtime). Fixed width for years 0 to 9999, so
 * two renderings compare as text in time order.
 */
export function formatIsoTime(t: SplitTime): string {
  const d = new Date(t.ms);
  if (Number.isNaN(d.getTime())) return `${t.s}.${t.frac}`;
  return `${d.toISOString().slice(0, 19)}.${t.frac}+0000`;
}
