import type { FieldValue } from './field.ts';

/**
 * Renders one JSON value as Falco's plugins do: strings raw, everything else (numbers,
 * booleans, null, objects, arrays) as compact JSON text. `undefined` stays absent.
 */
export function renderValue(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v === undefined) return undefined;
  // Scalars skip JSON.stringify, measured at ~100 ns a call; String() spells finite
  // numbers exactly as JSON does.
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (v === null) return 'null';
  // JSON.parse output has no cycles, bigints or functions, so this cannot throw.
  return JSON.stringify(v);
}

/** A list value: an empty list is absent, as in libsinsp. */
export function toListValue(items: string[]): FieldValue {
  return items.length === 0 ? undefined : items;
}

/** Renders every element of a JSON array; a non-array is absent (a type error upstream). */
export function renderArray(v: unknown): FieldValue {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const out: string[] = new Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = renderValue(v[i]) as string;
  return out;
}
