import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type LineCounter,
  type Node,
} from 'yaml';
import type { SourcePosition } from './types.ts';

/** The audit.k8s.io/v1 field types the decoder knows. */
type FieldKind = 'string' | 'bool' | 'strings' | 'any' | ObjectSchema | ListSchema;
interface ObjectSchema {
  readonly kind: 'object';
  readonly fields: Readonly<Record<string, FieldKind>>;
}
interface ListSchema {
  readonly kind: 'list';
  readonly item: ObjectSchema;
}

const GROUP_RESOURCES: ObjectSchema = {
  kind: 'object',
  fields: { group: 'string', resources: 'strings', resourceNames: 'strings' },
};

const POLICY_RULE: ObjectSchema = {
  kind: 'object',
  fields: {
    level: 'string',
    users: 'strings',
    userGroups: 'strings',
    verbs: 'strings',
    resources: { kind: 'list', item: GROUP_RESOURCES },
    namespaces: 'strings',
    nonResourceURLs: 'strings',
    omitStages: 'strings',
    omitManagedFields: 'bool',
  },
};

/** The Policy schema; `metadata` is ObjectMeta, which we accept as is. */
export const POLICY_SCHEMA: ObjectSchema = {
  kind: 'object',
  fields: {
    apiVersion: 'string',
    kind: 'string',
    metadata: 'any',
    rules: { kind: 'list', item: POLICY_RULE },
    omitStages: 'strings',
    omitManagedFields: 'bool',
  },
};

/** A problem found while decoding, with the field path and where it is. */
export interface DecodeIssue {
  readonly path: string;
  readonly message: string;
  readonly position: SourcePosition;
}

/** The decoded value plus what strict decoding would reject and what is fatal either way. */
export interface DecodeOutcome {
  readonly value: unknown;
  /** Unknown or duplicate fields: strict decoding fails, lenient decoding drops them. */
  readonly strict: DecodeIssue[];
  /** Wrong types: both decodings fail. */
  readonly fatal: DecodeIssue[];
  /** Field path → position, for every field written in the file. */
  readonly positions: Map<string, SourcePosition>;
}

interface Ctx {
  readonly file: string;
  readonly lines: LineCounter;
  readonly out: DecodeOutcome;
  readonly doc: Document;
  /** Nodes decoded so far, aliases expanded: bounded by MAX_EXPANDED_NODES. */
  nodes: number;
  /** Aliases being expanded (an alias inside its own anchor would never end). */
  readonly expanding: Set<Node>;
  readonly resolved: Map<Node, Node>;
}

/**
 * How many nodes a policy may decode to once its aliases are expanded. The apiserver's
 * YAML decoder (go-yaml) accepts anchors and aliases but refuses "excessive aliasing";
 * without a bound, nine levels of ten aliases each (a "billion laughs") expand to 10^9
 * nodes. Real policies decode to a few thousand.
 */
export const MAX_EXPANDED_NODES = 100_000;

/** Thrown when the alias budget is spent: one error, and decoding stops. */
class AliasBudgetError extends Error {
  constructor(readonly node: Node) {
    super('document contains excessive aliasing');
  }
}

/**
 * The node an alias stands for (a node itself otherwise), counted against the budget;
 * undefined for an alias into itself.
 */
function resolveNode(ctx: Ctx, node: Node): Node | undefined {
  if (++ctx.nodes > MAX_EXPANDED_NODES) throw new AliasBudgetError(node);
  if (!isAlias(node)) return node;
  // Alias.resolve searches the document for its anchor: once per alias is enough.
  let target = ctx.resolved.get(node);
  if (target === undefined) {
    target = node.resolve(ctx.doc) as Node | undefined;
    if (target !== undefined) ctx.resolved.set(node, target);
  }
  if (target === undefined || ctx.expanding.has(target)) return undefined;
  return target;
}

/** Runs `f` on an alias's target with the alias marked as being expanded. */
function expanding<T>(ctx: Ctx, target: Node, f: () => T): T {
  ctx.expanding.add(target);
  try {
    return f();
  } finally {
    ctx.expanding.delete(target);
  }
}

/** A node as plain data (ObjectMeta, which is kept as is), aliases expanded. */
function toPlain(ctx: Ctx, raw: Node): unknown {
  const node = resolveNode(ctx, raw);
  if (node === undefined) return null;
  return expanding(ctx, node, () => {
    if (isMap(node)) {
      const o: Record<string, unknown> = {};
      for (const pair of node.items) {
        const k = pair.key as Node | null;
        const key = isScalar(k) ? String(k.value) : String(k);
        o[key] = pair.value == null ? null : toPlain(ctx, pair.value as Node);
      }
      return o;
    }
    if (isSeq(node)) return node.items.map((n) => (n == null ? null : toPlain(ctx, n as Node)));
    return isScalar(node) ? node.value : null;
  });
}

function positionOf(ctx: Ctx, node: Node | null | undefined): SourcePosition {
  const offset = node?.range?.[0] ?? 0;
  const p = ctx.lines.linePos(offset);
  return { file: ctx.file, line: p.line, column: p.col };
}

function typeName(node: Node): string {
  if (isMap(node)) return 'object';
  if (isSeq(node)) return 'array';
  const v = isScalar(node) ? node.value : undefined;
  return typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : 'string';
}

function fatal(ctx: Ctx, node: Node, path: string, want: string): undefined {
  ctx.out.fatal.push({
    path,
    message: `cannot unmarshal ${typeName(node)} into field "${path}" of type ${want}`,
    position: positionOf(ctx, node),
  });
  return undefined;
}

function isNull(node: Node | null | undefined): boolean {
  return node == null || (isScalar(node) && node.value === null);
}

function decodeString(ctx: Ctx, node: Node, path: string): string | undefined {
  if (isScalar(node) && typeof node.value === 'string') return node.value;
  return fatal(ctx, node, path, 'string');
}

function decodeNode(ctx: Ctx, raw: Node, kind: FieldKind, path: string): unknown {
  ctx.out.positions.set(path, positionOf(ctx, raw));
  if (isNull(raw)) return undefined;
  const node = resolveNode(ctx, raw);
  if (node === undefined) return fatal(ctx, raw, path, 'a value (the alias refers to itself)');
  return node === raw
    ? decodeResolved(ctx, node, kind, path)
    : expanding(ctx, node, () => decodeResolved(ctx, node, kind, path));
}

function decodeResolved(ctx: Ctx, node: Node, kind: FieldKind, path: string): unknown {
  if (isNull(node)) return undefined;
  if (kind === 'any') return toPlain(ctx, node);
  if (kind === 'string') return decodeString(ctx, node, path);
  if (kind === 'bool') {
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    return fatal(ctx, node, path, 'bool');
  }
  if (kind === 'strings') {
    if (!isSeq(node)) return fatal(ctx, node, path, '[]string');
    return node.items.map((raw, i) => {
      const p = `${path}[${i}]`;
      ctx.out.positions.set(p, positionOf(ctx, raw as Node));
      // A null list item decodes to "" in Go.
      if (isNull(raw as Node)) return '';
      const item = resolveNode(ctx, raw as Node);
      return item === undefined || isNull(item) ? '' : decodeString(ctx, item, p);
    });
  }
  if (kind.kind === 'list') {
    if (!isSeq(node)) return fatal(ctx, node, path, 'array');
    return node.items.map((item, i) =>
      isNull(item as Node) ? {} : decodeNode(ctx, item as Node, kind.item, `${path}[${i}]`),
    );
  }
  return decodeObject(ctx, node, kind, path);
}

/**
 * The pairs of a mapping with YAML merge keys (`<<: *base`, `<<: [*a, *b]`, which go-yaml
 * applies) expanded: merged pairs first, so that the mapping's own keys win.
 */
function mergedPairs(ctx: Ctx, node: Node): { key: Node | null; value: Node | null }[] {
  if (!isMap(node)) return [];
  const own: { key: Node | null; value: Node | null }[] = [];
  const merged: { key: Node | null; value: Node | null }[] = [];
  for (const pair of node.items) {
    const key = pair.key as Node | null;
    if (!isScalar(key) || key.value !== '<<' || !isPair(pair)) {
      own.push({ key, value: (pair.value ?? null) as Node | null });
      continue;
    }
    const value = pair.value == null ? undefined : resolveNode(ctx, pair.value as Node);
    const sources = value !== undefined && isSeq(value) ? (value.items as Node[]) : [value];
    for (const src of sources) {
      const m = src === undefined ? undefined : resolveNode(ctx, src);
      if (m !== undefined && isMap(m) && !ctx.expanding.has(m)) {
        expanding(ctx, m, () => merged.push(...mergedPairs(ctx, m)));
      }
    }
  }
  const ownKeys = new Set(own.map((p) => (isScalar(p.key) ? String(p.key.value) : '')));
  return [
    ...merged.filter((p) => !ownKeys.has(isScalar(p.key) ? String(p.key.value) : '')),
    ...own,
  ];
}

function decodeObject(ctx: Ctx, node: Node, schema: ObjectSchema, path: string): unknown {
  if (!isMap(node)) return fatal(ctx, node, path || '(root)', 'object');
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const pair of mergedPairs(ctx, node)) {
    const keyNode = pair.key as Node | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
    const p = path === '' ? key : `${path}.${key}`;
    const kind = schema.fields[key];
    if (seen.has(key)) {
      ctx.out.strict.push({
        path: p,
        message: `duplicate field "${p}"`,
        position: positionOf(ctx, keyNode),
      });
    }
    seen.add(key);
    if (kind === undefined) {
      ctx.out.strict.push({
        path: p,
        message: `unknown field "${p}"`,
        position: positionOf(ctx, keyNode),
      });
      continue;
    }
    const value = decodeNode(ctx, (pair.value ?? null) as Node, kind, p);
    // Go's decoders keep the last of duplicated keys.
    if (value === undefined) delete out[key];
    else out[key] = value;
    ctx.out.positions.set(p, positionOf(ctx, keyNode));
  }
  return out;
}

/**
 * Decodes a parsed YAML document against the Policy schema, with anchors, aliases and
 * merge keys expanded as the apiserver's decoder does, within MAX_EXPANDED_NODES.
 */
export function decodePolicyNode(
  root: Node,
  file: string,
  lines: LineCounter,
  doc: Document,
): DecodeOutcome {
  const out: DecodeOutcome = { value: undefined, strict: [], fatal: [], positions: new Map() };
  const ctx: Ctx = {
    file,
    lines,
    out,
    doc,
    nodes: 0,
    expanding: new Set(),
    resolved: new Map(),
  };
  let value: unknown;
  try {
    value = decodeObject(ctx, root, POLICY_SCHEMA, '');
  } catch (err) {
    if (!(err instanceof AliasBudgetError)) throw err;
    out.fatal.push({
      path: '',
      message: `${err.message}: more than ${MAX_EXPANDED_NODES} nodes once aliases are expanded`,
      position: positionOf(ctx, err.node),
    });
  }
  out.positions.set('', positionOf(ctx, root));
  return { ...out, value };
}
