import { type Level, levelRank } from './types.ts';

function stripManagedFields(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const o = v as Record<string, unknown>;
  const meta = o.metadata as Record<string, unknown> | undefined;
  let out = o;
  if (meta !== undefined && meta !== null && typeof meta === 'object' && 'managedFields' in meta) {
    const { managedFields: _drop, ...rest } = meta;
    out = { ...o, metadata: rest };
  }
  if (Array.isArray(o.items)) out = { ...out, items: o.items.map(stripManagedFields) };
  return out;
}

/** An event as it would be logged at another level; `changed` false means byte-identical. */
export interface Relevelled {
  readonly obj: Record<string, unknown>;
  readonly changed: boolean;
}

/**
 * Rewrites a logged event for a lower (or equal) level: drops requestObject below Request
 * and responseObject below RequestResponse, and managedFields when asked.
 */
export function relevelEvent(
  obj: Readonly<Record<string, unknown>>,
  level: Level,
  omitManagedFields: boolean,
): Relevelled {
  const rank = levelRank(level);
  const out: Record<string, unknown> = { ...obj };
  let changed = obj.level !== level;
  out.level = level;
  for (const [key, min] of [
    ['requestObject', 2],
    ['responseObject', 3],
  ] as const) {
    if (!(key in out)) continue;
    if (rank < min) {
      delete out[key];
      changed = true;
    } else if (omitManagedFields) {
      const stripped = stripManagedFields(out[key]);
      if (stripped !== out[key]) {
        out[key] = stripped;
        changed = true;
      }
    }
  }
  return { obj: out, changed };
}
