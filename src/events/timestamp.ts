// RFC 3339 as Go's time.RFC3339Nano parses it: fraction optional (',' or '.'), any
// number of digits with the ones past nanoseconds dropped, 'Z' or a ±hh:mm offset.
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days from 1970-01-01 to the given civil date (proleptic Gregorian). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Parses an RFC 3339 / RFC3339Nano timestamp into nanoseconds since the Unix epoch, as
 * an exact decimal string (it does not fit a double). Undefined when it is not valid.
 *
 * @example parseTimestampNs('2018-10-25T13:58:49.736141Z') // '1540475929736141000'
 */
export function parseTimestampNs(rfc3339: string): string | undefined {
  // Logs are in time order, so consecutive events mostly share their whole second.
  if (cachedPrefix !== '' && rfc3339.startsWith(cachedPrefix)) {
    const nanos = parseFractionZ(rfc3339);
    if (nanos !== undefined) return `${cachedSecs}${nanos}`;
  }
  return parseFull(rfc3339);
}

// "YYYY-MM-DDTHH:MM:SS" of the last UTC timestamp with positive seconds, and those seconds.
let cachedPrefix = '';
let cachedSecs = 0;
const PREFIX_LENGTH = 19;

/** The 9-digit nanoseconds of a `[.digits]Z` tail after the cached prefix. */
function parseFractionZ(s: string): string | undefined {
  const end = s.length - 1;
  if (s.charCodeAt(end) !== 90) return undefined; // 'Z'
  if (end === PREFIX_LENGTH) return '000000000';
  if (s.charCodeAt(PREFIX_LENGTH) !== 46 || end === PREFIX_LENGTH + 1) return undefined; // '.'
  for (let i = PREFIX_LENGTH + 1; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return s.slice(PREFIX_LENGTH + 1, Math.min(end, PREFIX_LENGTH + 10)).padEnd(9, '0');
}

function parseFull(rfc3339: string): string | undefined {
  const m = RFC3339.exec(rfc3339);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (month < 1 || month > 12 || day < 1) return undefined;
  const dim = month === 2 && isLeap(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number);
  if (day > dim || hour > 23 || minute > 59 || second > 59) return undefined;
  let offset = 0;
  if (m[8] === undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    offset = (oh * 60 + om) * 60 * (m[9] === '-' ? -1 : 1);
  }
  // Whole seconds stay far below 2^53, so this integer arithmetic on doubles is exact;
  // only the final seconds×1e9+nanos step needs BigInt.
  const secs =
    daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
  const nanos = (m[7] ?? '').slice(0, 9).padEnd(9, '0');
  if (secs > 0) {
    if (m[8] === 'Z') {
      cachedPrefix = rfc3339.slice(0, PREFIX_LENGTH);
      cachedSecs = secs;
    }
    return `${secs}${nanos}`;
  }
  return (BigInt(secs) * 1_000_000_000n + BigInt(nanos)).toString();
}
