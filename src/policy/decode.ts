import { isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
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

function decodeNode(ctx: Ctx, node: Node, kind: FieldKind, path: string): unknown {
  ctx.out.positions.set(path, positionOf(ctx, node));
  if (isNull(node)) return undefined;
  if (kind === 'any') return node.toJSON();
  if (kind === 'string') return decodeString(ctx, node, path);
  if (kind === 'bool') {
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    return fatal(ctx, node, path, 'bool');
  }
  if (kind === 'strings') {
    if (!isSeq(node)) return fatal(ctx, node, path, '[]string');
    return node.items.map((item, i) => {
      const p = `${path}[${i}]`;
      ctx.out.positions.set(p, positionOf(ctx, item as Node));
      // A null list item decodes to "" in Go.
      return isNull(item as Node) ? '' : decodeString(ctx, item as Node, p);
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

function decodeObject(ctx: Ctx, node: Node, schema: ObjectSchema, path: string): unknown {
  if (!isMap(node)) return fatal(ctx, node, path || '(root)', 'object');
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const pair of node.items) {
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

/** Decodes a parsed YAML document against the Policy schema. */
export function decodePolicyNode(root: Node, file: string, lines: LineCounter): DecodeOutcome {
  const out: DecodeOutcome = { value: undefined, strict: [], fatal: [], positions: new Map() };
  const ctx: Ctx = { file, lines, out };
  const value = decodeObject(ctx, root, POLICY_SCHEMA, '');
  out.positions.set('', positionOf(ctx, root));
  return { ...out, value };
}
