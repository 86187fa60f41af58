import type { FieldDef } from './field.ts';
import { compilePath } from './path.ts';
import { renderValue } from './render.ts';
import { buildFieldDefs, type ExtractorFactory, type FieldRow } from './table.ts';

/**
 * Splits an RFC 6901 pointer into keys: the leading `/` is optional (as in Falco's json
 * plugin), `~1` is `/` and `~0` is `~`. An empty pointer addresses the whole document.
 */
export function parseJsonPointer(ptr: string): string[] {
  const body = ptr.startsWith('/') ? ptr.slice(1) : ptr;
  if (body === '') return [];
  return body.split('/').map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'));
}

const JSON_EXTRACTORS: Readonly<Record<string, ExtractorFactory>> = {
  value: (key) => {
    const read = compilePath(parseJsonPointer(key));
    return (root) => renderValue(read(root));
  },
  // Go's json.Indent with a two-space indent lays out like JSON.stringify(…, 2).
  obj: () => (root) => JSON.stringify(root, null, 2),
  rawtime: () => (_root, rec) => rec.timeNs,
};

// Policy coverage reads the pointer text of `json.value[...]` to see what it needs; the
// field itself is 'metadata' (see engine/requirements.ts).
const JSON_ROWS: readonly FieldRow[] = ['json', 'jevt'].flatMap((p): FieldRow[] => [
  {
    name: `${p}.value`,
    desc: 'Value at a JSON pointer into the event ([/objectRef/name]); strings raw, others as JSON.',
    x: 'value',
    arg: 'key',
  },
  { name: `${p}.obj`, desc: 'The whole event as indented JSON.', x: 'obj', needs: 'response' },
  { name: `${p}.rawtime`, desc: 'Event time in nanoseconds since the epoch.', x: 'rawtime' },
]);

/** The json plugin's fields and their `jevt.*` aliases; they read any event. */
export function createJsonFields(): FieldDef[] {
  return buildFieldDefs(JSON_ROWS, JSON_EXTRACTORS, {
    sources: ['*'],
    guard: (x) => (rec) => x(rec.obj, rec),
    needs: () => 'metadata',
  });
}
