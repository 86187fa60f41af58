import type { SourceFile } from './source-file.ts';

/** How a scalar was written; decides how value offsets map back to the file. */
export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

interface NodeBase {
  readonly file: SourceFile;
  /** Offsets of the node's text in the file. */
  readonly start: number;
  readonly end: number;
}

/** A scalar, always as its text (yaml-cpp keeps scalars as strings; so do we). */
export interface ScalarNode extends NodeBase {
  readonly kind: 'scalar';
  readonly value: string;
  readonly style: ScalarStyle;
}

/** `~`, `null` or an absent value: yaml-cpp's Null. */
export interface NullNode extends NodeBase {
  readonly kind: 'null';
}

export interface MapEntry {
  readonly key: string;
  readonly keyNode: YamlNode;
  readonly value: YamlNode;
}

export interface MapNode extends NodeBase {
  readonly kind: 'map';
  readonly entries: readonly MapEntry[];
}

export interface SeqNode extends NodeBase {
  readonly kind: 'seq';
  readonly items: readonly YamlNode[];
}

export type YamlNode = ScalarNode | NullNode | MapNode | SeqNode;

/** The first entry for `key` (yaml-cpp's `node[key]`), or undefined. */
export function getEntry(map: MapNode, key: string): MapEntry | undefined {
  return map.entries.find((e) => e.key === key);
}

/** The value for `key`, or undefined when the key is absent. */
export function getValue(map: MapNode, key: string): YamlNode | undefined {
  return getEntry(map, key)?.value;
}

/** Whether `key` is present (even with a null value). */
export function hasKey(map: MapNode, key: string): boolean {
  return getEntry(map, key) !== undefined;
}

/**
 * Maps an offset inside a scalar's value to a file offset. Exact for plain and quoted
 * one-line scalars; for escapes, folding and block indentation it aligns the value with
 * the source text greedily, which lands on the right character in practice.
 */
export function scalarOffset(node: ScalarNode, valueOffset: number): number {
  const src = node.file.content;
  let p = node.start;
  if (node.style === 'single' || node.style === 'double') p += 1;
  else if (node.style === 'literal' || node.style === 'folded') {
    const nl = src.indexOf('\n', p);
    p = nl === -1 ? node.end : nl + 1;
  }
  if (
    node.style === 'plain' &&
    !node.value.includes('\n') &&
    !src.slice(p, node.end).includes('\n')
  ) {
    return p + Math.min(valueOffset, node.value.length);
  }
  const limit = Math.max(node.end, p);
  for (let i = 0; i < valueOffset && i < node.value.length; i++) {
    const c = node.value[i];
    let q = p;
    while (q < limit && src[q] !== c && !(c === ' ' && src[q] === '\n')) q++;
    if (q >= limit) return p;
    p = q + 1;
  }
  // Skip indentation so the result points at a visible character.
  while (p < limit && (src[p] === ' ' || src[p] === '\n' || src[p] === '\r')) {
    if (node.value[valueOffset] === ' ' || node.value[valueOffset] === '\n') break;
    p++;
  }
  return p;
}
