import type { FieldValue } from './field.ts';
import { compilePath } from './path.ts';
import { renderArray, renderValue } from './render.ts';
import type { ExtractorFactory } from './table.ts';

/** The element `index` of `arr` (or all of it when index < 0) as a list value. */
export function renderIndexed(arr: unknown, index: number): FieldValue {
  if (!Array.isArray(arr)) return undefined;
  if (index < 0) return renderArray(arr);
  return index < arr.length ? [renderValue(arr[index]) as string] : undefined;
}

/**
 * Extractors driven by the row's `path`: `value` renders the scalar there, `values` the
 * elements of the array there, `indexed` the same with an optional `[i]` filter.
 */
export const PATH_EXTRACTORS: Readonly<Record<string, ExtractorFactory>> = {
  value: (_key, _index, path) => {
    const read = compilePath(path);
    return (root) => renderValue(read(root));
  },
  values: (_key, _index, path) => {
    const read = compilePath(path);
    return (root) => renderArray(read(root));
  },
  indexed: (_key, index, path) => {
    const read = compilePath(path);
    return (root) => renderIndexed(read(root), index);
  },
};
