import { useState } from 'preact/hooks';
import { type AlertFilter, RANGE_LABELS, RANGES, type RangeKey } from '../lib/filters.ts';

interface TimeRangeProps {
  readonly filter: AlertFilter;
  readonly onChange: (f: AlertFilter) => void;
}

/** "2026-03-02T10:00:00Z" → "2026-03-02T10:00" for a datetime-local input (UTC). */
function toInput(t: string | undefined): string {
  if (t === undefined) return '';
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? '' : new Date(ms).toISOString().slice(0, 16);
}

/** The input's "2026-03-02T10:00", read as UTC, back to RFC 3339. */
function fromInput(v: string): string | undefined {
  if (v === '') return undefined;
  const ms = Date.parse(`${v}:00Z`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** The time range: a preset, or a custom from/to in UTC. */
export function TimeRange({ filter, onChange }: TimeRangeProps) {
  const [from, setFrom] = useState(toInput(filter.from));
  const [to, setTo] = useState(toInput(filter.to));

  const pick = (range: RangeKey) => {
    if (range !== 'custom') {
      const { from: _f, to: _t, ...rest } = filter;
      onChange({ ...rest, range });
      return;
    }
    // Custom starts from the last hour so that both fields have a value to edit.
    const now = Date.now();
    const f = from !== '' ? from : new Date(now - 3_600_000).toISOString().slice(0, 16);
    const t = to !== '' ? to : new Date(now).toISOString().slice(0, 16);
    setFrom(f);
    setTo(t);
    applyCustom(f, t);
  };

  const applyCustom = (f: string, t: string) => {
    const fromT = fromInput(f);
    const toT = fromInput(t);
    onChange({
      ...filter,
      range: 'custom',
      ...(fromT !== undefined ? { from: fromT } : {}),
      ...(toT !== undefined ? { to: toT } : {}),
    });
  };

  return (
    <fieldset class="time-range">
      <legend class="visually-hidden">Time range</legend>
      <label>
        <span class="label-text">Time range</span>
        <select value={filter.range} onChange={(e) => pick(e.currentTarget.value as RangeKey)}>
          {RANGES.map((r) => (
            <option key={r} value={r}>
              {RANGE_LABELS[r]}
            </option>
          ))}
        </select>
      </label>
      {filter.range === 'custom' ? (
        <>
          <label>
            <span class="label-text">From (UTC)</span>
            <input
              type="datetime-local"
              value={from}
              onChange={(e) => {
                setFrom(e.currentTarget.value);
                applyCustom(e.currentTarget.value, to);
              }}
            />
          </label>
          <label>
            <span class="label-text">To (UTC)</span>
            <input
              type="datetime-local"
              value={to}
              onChange={(e) => {
                setTo(e.currentTarget.value);
                applyCustom(from, e.currentTarget.value);
              }}
            />
          </label>
        </>
      ) : null}
    </fieldset>
  );
}
