import { InvalidArgumentError } from 'commander';
import { INPUT_FORMATS, type InputFormatChoice, parseInputFormat } from '../events/index.ts';
import { type Priority, parseDuration, parsePriority } from '../rules/index.ts';

/** commander parser for a priority name (`warning`, `INFO`, …). */
export function parsePriorityOption(value: string): Priority {
  const p = parsePriority(value);
  if (p === undefined) {
    throw new InvalidArgumentError(
      'expected one of emergency, alert, critical, error, warning, notice, informational (info), debug',
    );
  }
  return p;
}

/** commander parser for a positive integer. */
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

/** commander parser for `--input-format`. */
export function parseInputFormatOption(value: string): InputFormatChoice {
  const f = parseInputFormat(value);
  if (f === undefined) {
    throw new InvalidArgumentError(`expected auto, ${INPUT_FORMATS.join(', ')}`);
  }
  return f;
}

/** commander parser for a byte size: `262144`, `256k`, `4m`, `1g`. */
export function parseByteSize(value: string): number {
  const m = /^(\d+)\s*([kmg]i?b?|b)?$/i.exec(value.trim());
  if (!m) throw new InvalidArgumentError('expected a size such as 262144, 256k or 4m');
  const unit = (m[2] ?? '').toLowerCase()[0];
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  const n = Number(m[1]) * mult;
  if (n <= 0) throw new InvalidArgumentError('expected a size above zero');
  return n;
}

/** Accumulates a repeatable option into an array. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** commander parser for a duration: `500ms`, `30s`, `10m`, `1h30m`; `0` for none. */
export function parseDurationOption(value: string): number {
  if (value === '0') return 0;
  const ms = parseDuration(value);
  if (ms === undefined)
    throw new InvalidArgumentError('expected a duration such as 30s, 10m or 1h');
  return ms;
}
