/** A byte size: `262144`, `256k`, `4m`, `1g` (binary multiples; `kb`, `KiB` accepted). */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+)\s*([kmgt]i?b?|b)?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? '').toLowerCase()[0];
  const mult =
    unit === 'k'
      ? 1024
      : unit === 'm'
        ? 1024 ** 2
        : unit === 'g'
          ? 1024 ** 3
          : unit === 't'
            ? 1024 ** 4
            : 1;
  const n = Number(m[1]) * mult;
  return n > 0 && Number.isSafeInteger(n) ? n : undefined;
}

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** A duration in ms: `500ms`, `30s`, `15m`, `1h`, `7d`, or several (`1h30m`). */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  let total = 0;
  let rest = t;
  const part = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)/;
  while (rest.length > 0) {
    const m = part.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * (DURATION_UNITS[m[2] as string] as number);
    rest = rest.slice(m[0].length);
  }
  return total > 0 ? total : undefined;
}
