import { parseTimestampNs } from '../events/timestamp.ts';
import { formatIsoTime, splitTimeNs } from './evt-time.ts';
import type { TimeValueKind } from './field.ts';

/**
 * The literal a comparison with a time-valued field (FieldDef.timeValue) compares
 * against: an RFC 3339 time becomes the field's own spelling of that instant
 * (nanoseconds since the epoch, or evt.time.iso8601's fixed-width UTC text), so that
 * `evt.rawtime >= 2026-03-02T10:30:00+01:00` compares instants. Any other literal is
 * kept as written (`evt.rawtime > 1772445000000000000` still works).
 *
 * @example normalizeTimeLiteral('epoch-ns', '1970-01-01T00:00:01Z') // '1000000000'
 */
export function normalizeTimeLiteral(kind: TimeValueKind, literal: string): string {
  const ns = parseTimestampNs(literal);
  if (ns === undefined) return literal;
  if (kind === 'epoch-ns') return ns;
  const t = splitTimeNs(ns);
  return t === undefined ? literal : formatIsoTime(t);
}
