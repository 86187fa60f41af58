import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';
import { type Position, positionAt, type SourceFile, snippetAt } from '../rules/index.ts';
import type { TestErrorCode, TestMessage } from './model.ts';

/** A tests file being read: its text and the problems found so far. */
export interface ReadContext {
  readonly file: SourceFile;
  /** The parsed file: aliases (`*name`) resolve against it. */
  readonly doc: Document;
  readonly errors: TestMessage[];
}

/** Aliases one event may expand, as the rules loader bounds them (a billion laughs stops here). */
const MAX_ALIASES = 100;

/**
 * A node's plain value with its aliases resolved; undefined (reported) when it expands
 * more aliases than MAX_ALIASES allows.
 */
export function plainValue(ctx: ReadContext, node: Node): unknown {
  try {
    return node.toJS(ctx.doc, { maxAliasCount: MAX_ALIASES });
  } catch (e) {
    report(ctx, node, 'TEST_ERR_VALIDATE', (e as Error).message.split('\n')[0] ?? 'bad aliases');
    return undefined;
  }
}

/** Where a node starts in the file (the file's start when the node has no range). */
export function positionOf(ctx: ReadContext, node: Node | null | undefined): Position {
  return positionAt(ctx.file, node?.range?.[0] ?? 0);
}

/** Records a problem at a node, with the source line and a caret under the node. */
export function report(
  ctx: ReadContext,
  node: Node | null | undefined,
  code: TestErrorCode,
  message: string,
): void {
  const start = node?.range?.[0] ?? 0;
  const end = node?.range?.[1] ?? start;
  ctx.errors.push({
    code,
    message,
    position: positionAt(ctx.file, start),
    snippet: snippetAt(ctx.file, start, Math.max(end, start + 1)),
  });
}

/** A mapping's pairs with string keys, in order; undefined (reported) for a non-mapping. */
export function readPairs(
  ctx: ReadContext,
  node: Node | null | undefined,
  what: string,
): { readonly key: string; readonly keyNode: Node; readonly value: Node | null }[] | undefined {
  if (!isMap(node)) {
    report(ctx, node, 'TEST_ERR_VALIDATE', `${what} must be a mapping`);
    return undefined;
  }
  const out: { key: string; keyNode: Node; value: Node | null }[] = [];
  for (const pair of (node as YAMLMap).items as Pair[]) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    out.push({
      key: String(pair.key.value),
      keyNode: pair.key,
      value: (pair.value as Node | null) ?? null,
    });
  }
  return out;
}

/** A mapping's entries by key, after checking every key is one of `allowed`. */
export function readMap(
  ctx: ReadContext,
  node: Node | null | undefined,
  what: string,
  allowed: readonly string[],
): Map<string, { readonly key: Node; readonly value: Node | null }> | undefined {
  const pairs = readPairs(ctx, node, what);
  if (pairs === undefined) return undefined;
  const out = new Map<string, { readonly key: Node; readonly value: Node | null }>();
  for (const { key, keyNode, value } of pairs) {
    if (!allowed.includes(key)) {
      report(
        ctx,
        keyNode,
        'TEST_ERR_VALIDATE',
        `unknown key '${key}' in ${what} (expected one of: ${allowed.join(', ')})`,
      );
      continue;
    }
    if (out.has(key)) report(ctx, keyNode, 'TEST_ERR_VALIDATE', `key '${key}' appears twice`);
    out.set(key, { key: keyNode, value });
  }
  return out;
}

/** A non-empty string scalar, or undefined (reported). */
export function readString(ctx: ReadContext, node: Node | null, what: string): string | undefined {
  if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) {
    const s = String(node.value);
    if (s.length > 0) return s;
  }
  report(ctx, node, 'TEST_ERR_VALIDATE', `${what} must be a non-empty string`);
  return undefined;
}

/** A string, or a sequence of strings, as a list with each item's node. */
export function readStrings(
  ctx: ReadContext,
  node: Node | null,
  what: string,
): { readonly value: string; readonly node: Node }[] {
  const items = isSeq(node) ? (node.items as (Node | null)[]) : [node];
  const out: { value: string; node: Node }[] = [];
  for (const item of items) {
    const value = readString(ctx, item, what);
    if (value !== undefined && item !== null) out.push({ value, node: item });
  }
  if (isSeq(node) && items.length === 0) {
    report(ctx, node, 'TEST_ERR_VALIDATE', `${what} must name at least one item`);
  }
  return out;
}

/** A whole number at least `min`, or undefined (reported). */
export function readCount(
  ctx: ReadContext,
  node: Node | null,
  what: string,
  min: number,
): number | undefined {
  if (isScalar(node) && typeof node.value === 'number' && Number.isInteger(node.value)) {
    if (node.value >= min) return node.value;
  }
  report(ctx, node, 'TEST_ERR_VALIDATE', `${what} must be a whole number, at least ${min}`);
  return undefined;
}

/** One of `choices`, or undefined (reported). */
export function readChoice<T extends string>(
  ctx: ReadContext,
  node: Node | null,
  what: string,
  choices: readonly T[],
): T | undefined {
  const v = isScalar(node) ? String(node.value) : undefined;
  if (v !== undefined && (choices as readonly string[]).includes(v)) return v as T;
  report(ctx, node, 'TEST_ERR_VALIDATE', `${what} must be one of: ${choices.join(', ')}`);
  return undefined;
}
