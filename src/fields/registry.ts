import type { EventSource } from '../events/record.ts';
import { createEvtFields } from './evt-fields.ts';
import type { FieldDef, FieldRegistry } from './field.ts';
import { createJsonFields } from './json-fields.ts';
import { createKaFields } from './ka-fields.ts';
import { createKarFields } from './kar-fields.ts';
import { suggestName } from './suggest.ts';

/** A registry over the given field definitions; throws on a duplicate name. */
export function createRegistryOf(defs: readonly FieldDef[]): FieldRegistry {
  const byName = new Map<string, FieldDef>();
  for (const d of defs) {
    if (byName.has(d.name)) throw new Error(`duplicate field ${d.name}`);
    byName.set(d.name, d);
  }
  const names = defs.map((d) => d.name);
  const bySource = new Map<EventSource, readonly FieldDef[]>();
  return {
    get: (name) => byName.get(name),
    list: (source) => {
      if (source === undefined) return defs;
      let out = bySource.get(source);
      if (out === undefined) {
        out = defs.filter((d) => d.sources.includes('*') || d.sources.includes(source));
        bySource.set(source, out);
      }
      return out;
    },
    suggest: (name) => (byName.has(name) ? undefined : suggestName(name, names)),
  };
}

/**
 * Every field kaudit knows: `ka.*` (k8s_audit), `kar.*` (k8s_admission), the json
 * plugin's `json.*`/`jevt.*` and the generic `evt.*` fields (any source).
 *
 * @example
 * const reg = createFieldRegistry();
 * const get = reg.get('ka.user.name')?.bind(undefined);
 * get?.(record); // → 'admin' or undefined
 */
export function createFieldRegistry(): FieldRegistry {
  return createRegistryOf([
    ...createKaFields(),
    ...createKarFields(),
    ...createJsonFields(),
    ...createEvtFields(),
  ]);
}

/** A shared registry for callers that need no private one. */
export const defaultFieldRegistry: FieldRegistry = createFieldRegistry();
