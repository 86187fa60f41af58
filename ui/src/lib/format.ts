// Display helpers. They only build strings; the caller renders them as text.

const RFC3339 = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?Z$/;

/** "2026-03-02T10:20:00.406766000Z" → "2026-03-02 10:20:00.406" (UTC, as the logs are). */
export function formatTime(time: string, fraction = 3): string {
  const m = RFC3339.exec(time);
  if (m === null) return time;
  const frac = fraction > 0 && m[3] !== undefined ? m[3].slice(0, fraction + 1) : '';
  return `${m[1]} ${m[2]}${frac}`;
}

/** "3 min ago", for a tooltip next to an absolute time. */
export function formatAgo(time: string, nowMs: number): string {
  const t = Date.parse(time);
  if (Number.isNaN(t)) return '';
  const s = Math.round((nowMs - t) / 1000);
  if (s < 0) return 'in the future';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

/** A count with thousands separators. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** An output field value as one line of text (Falco prints absent values as <NA>). */
export function formatFieldValue(v: string | readonly string[] | number | null): string {
  if (v === null) return '<NA>';
  if (Array.isArray(v)) return `(${v.join(',')})`;
  return String(v);
}
