import {
  type Alias,
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Scalar,
  type Node as YNode,
} from 'yaml';
import { LOAD_LIMITS } from './limits.ts';
import { ITEM, MSG, RuleLoadError } from './messages.ts';
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

// Deeper nodes read as null; the rules format never nests past a few levels.
const MAX_DEPTH = 200;

/** A converted node with the number of nodes it stands for (its aliases expanded). */
interface Converted {
  readonly node: YamlNode;
  readonly size: number;
}

/** What aliases have added so far in one file, checked against LOAD_LIMITS.aliasedNodes. */
export interface AliasBudget {
  aliased: number;
}

type Range = readonly [number, number, number] | undefined;

function aliasError(file: SourceFile, range: Range, message: string): RuleLoadError {
  const start = range?.[0] ?? 0;
  const ctx = [{ itemType: ITEM.rulesContent, itemName: '', position: positionAt(file, start) }];
  return new RuleLoadError('LOAD_ERR_YAML_PARSE', message, ctx, undefined, undefined, range?.[1]);
}

/**
 * Converts one YAML document into YamlNodes. An anchored node is converted once and every
 * alias to it shares the result, so aliases cost no copying here; what they stand for is
 * still counted (collecting a list walks every item an alias repeats), and a file whose
 * aliases stand for more than LOAD_LIMITS.aliasedNodes nodes, or an alias inside the node
 * it names (`&a [*a]`, infinite), is LOAD_ERR_YAML_PARSE at the alias.
 */
export function convertDocument(doc: Document, file: SourceFile, budget: AliasBudget): YamlNode {
  const anchored = new Map<unknown, Converted>();
  const open = new Set<unknown>();

  const useAlias = (alias: Alias, depth: number): Converted => {
    const range = (alias as { range?: Range }).range;
    const target = alias.resolve(doc);
    if (target !== undefined && open.has(target)) {
      throw aliasError(file, range, MSG.aliasInsideItself(alias.source));
    }
    const done = anchored.get(target) ?? convert(target, depth + 1);
    budget.aliased += done.size;
    if (budget.aliased > LOAD_LIMITS.aliasedNodes) {
      throw aliasError(file, range, MSG.aliasesTooLarge(alias.source, LOAD_LIMITS.aliasedNodes));
    }
    return done;
  };

  const convertMap = (node: YNode & { items: unknown[] }, depth: number, base: NodeAt) => {
    const entries: MapEntry[] = [];
    let size = 1;
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = convert(pair.key, depth + 1);
      const keyText = key.node.kind === 'scalar' ? key.node.value : '';
      const value =
        pair.value === null
          ? {
              node: { kind: 'null', file, start: key.node.end, end: key.node.end } as const,
              size: 1,
            }
          : convert(pair.value, depth + 1);
      entries.push({ key: keyText, keyNode: key.node, value: value.node });
      size += key.size + value.size;
    }
    return { node: { kind: 'map', ...base, entries }, size } as const;
  };

  const convertSeq = (node: YNode & { items: unknown[] }, depth: number, base: NodeAt) => {
    const items: YamlNode[] = [];
    let size = 1;
    for (const item of node.items) {
      const c = convert(item, depth + 1);
      items.push(c.node);
      size += c.size;
    }
    return { node: { kind: 'seq', ...base, items }, size } as const;
  };

  const convertNode = (node: unknown, depth: number, base: NodeAt): Converted => {
    if (isScalar(node)) {
      const style = STYLES[node.type ?? Scalar.PLAIN] ?? 'plain';
      const value = String(node.value ?? '');
      if (style === 'plain' && NULL_WORDS.has(value)) return { node: nullAt(base), size: 1 };
      return { node: { kind: 'scalar', ...base, value, style }, size: 1 };
    }
    if (isMap(node)) return convertMap(node, depth, base);
    if (isSeq(node)) return convertSeq(node, depth, base);
    return { node: nullAt(base), size: 1 };
  };

  const convert = (node: unknown, depth: number): Converted => {
    const range = (node as { range?: Range } | null)?.range;
    const start = range?.[0] ?? 0;
    const base: NodeAt = { file, start, end: range?.[1] ?? start };
    if (depth > MAX_DEPTH) return { node: nullAt(base), size: 1 };
    if (isAlias(node)) return useAlias(node, depth);
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor === undefined) return convertNode(node, depth, base);
    open.add(node);
    const done = convertNode(node, depth, base);
    open.delete(node);
    anchored.set(node, done);
    return done;
  };

  return convert(doc.contents, 0).node;
}

interface NodeAt {
  readonly file: SourceFile;
  readonly start: number;
  readonly end: number;
}

function nullAt(base: NodeAt): YamlNode {
  return { kind: 'null', ...base };
}
