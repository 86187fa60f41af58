import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  Scalar,
  type Node as YNode,
} from 'yaml';
import { at, type Context, ITEM, MSG, RuleLoadError, yamlValidationError } from './messages.ts';
import { positionAt, type SourceFile } from './source-file.ts';
import type { MapEntry, ScalarStyle, YamlNode } from './yaml-node.ts';

// yaml-cpp's Null spellings; an empty plain value is Null too.
const NULL_WORDS = new Set(['', '~', 'null', 'Null', 'NULL']);

const STYLES: Readonly<Record<string, ScalarStyle>> = {
  [Scalar.PLAIN]: 'plain',
  [Scalar.QUOTE_SINGLE]: 'single',
  [Scalar.QUOTE_DOUBLE]: 'double',
  [Scalar.BLOCK_LITERAL]: 'literal',
  [Scalar.BLOCK_FOLDED]: 'folded',
};

function convert(node: unknown, file: SourceFile, doc: Document, depth: number): YamlNode {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  const start = range?.[0] ?? 0;
  const end = range?.[1] ?? start;
  if (depth > 200) return { kind: 'null', file, start, end };
  if (isAlias(node)) return convert(node.resolve(doc), file, doc, depth + 1);
  if (isScalar(node)) {
    const style = STYLES[node.type ?? Scalar.PLAIN] ?? 'plain';
    const value = String(node.value ?? '');
    if (style === 'plain' && NULL_WORDS.has(value)) return { kind: 'null', file, start, end };
    return { kind: 'scalar', file, start, end, value, style };
  }
  if (isMap(node)) {
    const entries: MapEntry[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = convert(pair.key, file, doc, depth + 1);
      const key = keyNode.kind === 'scalar' ? keyNode.value : '';
      const value =
        pair.value === null
          ? ({ kind: 'null', file, start: keyNode.end, end: keyNode.end } as const)
          : convert(pair.value, file, doc, depth + 1);
      entries.push({ key, keyNode, value });
    }
    return { kind: 'map', file, start, end, entries };
  }
  if (isSeq(node)) {
    const items = node.items.map((item) => convert(item as YNode, file, doc, depth + 1));
    return { kind: 'seq', file, start, end, items };
  }
  return { kind: 'null', file, start, end };
}

/** The items of every YAML document of a rules file, in order (null items dropped). */
export interface ReadItems {
  readonly items: readonly YamlNode[];
}

/**
 * Parses a rules file (every `---` document must be a sequence of maps) into items with
 * positions. Scalars are kept as text, like yaml-cpp does, so `0.10` stays `0.10`.
 * Throws RuleLoadError (LOAD_ERR_YAML_PARSE / LOAD_ERR_YAML_VALIDATE).
 */
export function readRulesItems(file: SourceFile): ReadItems {
  const docs = parseAllDocuments(file.content, {
    schema: 'failsafe',
    uniqueKeys: false,
    prettyErrors: false,
  });
  const list = Array.isArray(docs) ? docs : [docs];
  const root: Context = [
    { itemType: ITEM.rulesContent, itemName: '', position: positionAt(file, 0) },
  ];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err !== undefined) {
      const offset = err.pos[0];
      const ctx: Context = [
        { itemType: ITEM.rulesContent, itemName: '', position: positionAt(file, offset) },
      ];
      const firstLine = err.message.split('\n')[0] ?? err.message;
      throw new RuleLoadError(
        'LOAD_ERR_YAML_PARSE',
        firstLine,
        ctx,
        undefined,
        undefined,
        err.pos[1],
      );
    }
  }
  const items: YamlNode[] = [];
  for (const doc of list) {
    const contents = convert(doc.contents, file, doc, 0);
    if (contents.kind === 'null') continue;
    if (contents.kind === 'scalar') {
      throw yamlValidationError(MSG.notYaml, root);
    }
    if (contents.kind !== 'seq') {
      throw yamlValidationError(MSG.notYamlArray, root);
    }
    for (const item of contents.items) if (item.kind !== 'null') items.push(item);
  }
  return { items };
}

/** Throws unless `item` is a map (Falco checks this before looking at any key). */
export function requireMapItem(item: YamlNode, parent: Context): void {
  if (item.kind !== 'map') {
    throw yamlValidationError(MSG.notMapItem, at(parent, item, ITEM.rulesContentItem, ''));
  }
}
