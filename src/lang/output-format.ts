import type { AuditRecord } from '../events/record.ts';
import type { FieldGetter, FieldValue } from '../fields/field.ts';
import type { FieldRef, Operand } from './ast.ts';
import type { CheckEnv } from './check.ts';
import type { CompileEnv } from './compile.ts';
import { ConditionError } from './errors.ts';
import { Cursor } from './lexer.ts';
import { innerField, type JsonFieldKind, jsonKindOf } from './output-json.ts';
import { printOperand } from './print.ts';
import { bindField, resolveOperand } from './resolve.ts';
import { applyTransformer, isTransformerName } from './transformers.ts';

/** One piece of an output template: literal text, or a field to render. */
export interface OutputSegment {
  readonly text?: string;
  readonly operand?: Operand;
  /** The field as written, e.g. "ka.uri.param[command]": the key in output_fields. */
  readonly key?: string;
  /** `%20ka.user.name`: pad or cut the rendered value to this many characters. */
  readonly width?: number;
}

/** A template compiled against a registry. */
export interface CompiledOutput {
  /** Rendered message: absent → `<NA>`, list → `(a,b)`. */
  text(r: AuditRecord): string;
  /** output_fields for Falco's JSON alert: key → string | string[] | null (absent), in template order, unique keys. */
  fields(r: AuditRecord): Record<string, string | readonly string[] | null>;
  /**
   * The keys of `fields` that Falco's JSON writes other than as strings, or leaves out
   * (a transformed field): see JsonFieldKind. Empty for most rules.
   */
  readonly jsonKinds: Readonly<Record<string, JsonFieldKind>>;
}

const NAME_CHARS = /[a-zA-Z0-9_.]*/y;

/**
 * Parses a Falco output template: `%field`, `%field[arg]`, `%tolower(field)`, `%<N>field`.
 * The longest run after `%` that names a known field wins, so `%ka.target.name/%ka.verb`
 * and `%ka.user.name.` work. Throws ConditionError (unknown_field, unexpected_end, ...).
 *
 * @example parseOutputFormat('user=%ka.user.name uri=%ka.uri', env)
 */
export function parseOutputFormat(text: string, env: CheckEnv): OutputSegment[] {
  const out: OutputSegment[] = [];
  let lit = '';
  let i = 0;
  while (i < text.length) {
    const pct = text.indexOf('%', i);
    if (pct < 0) {
      lit += text.slice(i);
      break;
    }
    lit += text.slice(i, pct);
    if (pct === text.length - 1) {
      throw new ConditionError('unexpected_end', 'formatting cannot end with a %', pct, pct + 1);
    }
    const seg = parseReference(text, pct + 1, env);
    if (lit !== '') out.push({ text: lit });
    lit = '';
    out.push(seg.segment);
    i = seg.end;
  }
  if (lit !== '') out.push({ text: lit });
  return out;
}

function parseReference(
  text: string,
  start: number,
  env: CheckEnv,
): { segment: OutputSegment; end: number } {
  let pos = start;
  const digits = /^\d+/.exec(text.slice(pos));
  const width = digits === null ? undefined : Number(digits[0]);
  pos += digits?.[0].length ?? 0;
  const operand = parseOutputOperand(text, pos, env);
  resolveOperand(operand, env);
  const key = printOperand(operand);
  return {
    segment: width === undefined ? { operand, key } : { operand, key, width },
    end: operand.end,
  };
}

function parseOutputOperand(text: string, pos: number, env: CheckEnv): Operand {
  const c = new Cursor(text);
  c.pos = pos;
  const ident = c.peekIdentifier();
  if (ident !== undefined && text[pos + ident.length] === '(' && isTransformerName(ident)) {
    c.pos += ident.length + 1;
    const arg = parseOutputOperand(text, c.pos, env);
    if (text[arg.end] !== ')') {
      throw new ConditionError(
        'unclosed_paren',
        "expected a ')' token",
        pos + ident.length,
        arg.end,
      );
    }
    return { kind: 'transform', name: ident, arg, start: pos, end: arg.end + 1 };
  }
  NAME_CHARS.lastIndex = pos;
  const run = NAME_CHARS.exec(text)?.[0] ?? '';
  // Longest prefix that is a known field: `%ka.target.name/...`, `%ka.user.name.` both work.
  for (let len = run.length; len > 0; len--) {
    const name = run.slice(0, len);
    if (env.registry.get(name) === undefined) continue;
    return withArg(text, { kind: 'field', name, start: pos, end: pos + len });
  }
  const shown = run === '' ? text.slice(pos, pos + 1) : run;
  throw new ConditionError(
    'unknown_field',
    `invalid formatting token: unknown field '${shown}'`,
    pos,
    pos + Math.max(1, run.length),
  );
}

function withArg(text: string, ref: FieldRef): FieldRef {
  if (text[ref.end] !== '[') return ref;
  const c = new Cursor(text);
  c.pos = ref.end + 1;
  const arg = c.quoted() ?? c.bareArg();
  if (arg === undefined || !c.eat(']')) {
    throw new ConditionError(
      'bad_field_arg',
      `bad argument for field '${ref.name}'`,
      ref.end,
      c.pos,
    );
  }
  return { ...ref, arg, end: c.pos };
}

function makeGetter(op: Operand, env: CompileEnv): FieldGetter {
  if (op.kind === 'field') return bindField(op, env).get;
  const inner = makeGetter(op.arg, env);
  const name = op.name;
  return (r) => applyTransformer(name, inner(r));
}

/**
 * A template's pieces with their getters bound: literal text as a string, a field (or
 * transformed field) as its getter, which returns the raw value (a list stays a list).
 *
 * @example compileOutputGetters(parseOutputFormat('%ka.target.namespace/%ka.target.name', env), env)
 */
export function compileOutputGetters(
  segments: readonly OutputSegment[],
  env: CompileEnv,
): readonly (string | FieldGetter)[] {
  return segments.map((s) =>
    s.operand === undefined ? (s.text ?? '') : makeGetter(s.operand, env),
  );
}

interface Part {
  readonly text: string;
  readonly get: FieldGetter | undefined;
  readonly key: string;
  readonly width: number | undefined;
}

function renderText(v: FieldValue, width: number | undefined): string {
  const s = v === undefined ? '<NA>' : typeof v === 'string' ? v : `(${v.join(',')})`;
  if (width === undefined) return s;
  return s.length >= width ? s.slice(0, width) : s.padEnd(width, ' ');
}

/**
 * Compiles parsed segments into renderers; field getters are bound once here.
 *
 * @example compileOutputFormat(parseOutputFormat(rule.output, env), env).text(record)
 */
export function compileOutputFormat(
  segments: readonly OutputSegment[],
  env: CompileEnv,
): CompiledOutput {
  const parts: Part[] = segments.map((s) =>
    s.operand === undefined
      ? { text: s.text ?? '', get: undefined, key: '', width: undefined }
      : {
          text: '',
          get: makeGetter(s.operand, env),
          key: s.key ?? printOperand(s.operand),
          width: s.width,
        },
  );
  const keyed = new Map<string, FieldGetter>();
  const kinds: Record<string, JsonFieldKind> = {};
  const add = (key: string, get: () => FieldGetter, op: Operand): void => {
    if (keyed.has(key)) return;
    keyed.set(key, get());
    const kind = jsonKindOf(op, env.registry);
    if (kind !== undefined) kinds[key] = kind;
  };
  segments.forEach((s, i) => {
    const op = s.operand;
    if (op === undefined) return;
    // As libsinsp's formatter: a transformed field also resolves its bare field, which is
    // what Falco's JSON output_fields show (the transformed key is left out there).
    if (op.kind === 'transform') {
      const inner = innerField(op);
      add(printOperand(inner), () => makeGetter(inner, env), inner);
    }
    const key = s.key ?? printOperand(op);
    add(key, () => parts[i]?.get ?? makeGetter(op, env), op);
  });
  return new OutputRenderer(parts, [...keyed.keys()], [...keyed.values()], kinds);
}

/**
 * A rule's compiled output. A class rather than closures per rule: the methods are then
 * one function each, shared by every rule's renderer, so the JIT compiles `text` and
 * `fields` once per thread rather than once for each rule whose alerts are frequent.
 */
class OutputRenderer implements CompiledOutput {
  readonly #parts: readonly Part[];
  readonly #keys: readonly string[];
  readonly #getters: readonly FieldGetter[];
  readonly jsonKinds: Readonly<Record<string, JsonFieldKind>>;

  constructor(
    parts: readonly Part[],
    keys: readonly string[],
    getters: readonly FieldGetter[],
    jsonKinds: Readonly<Record<string, JsonFieldKind>>,
  ) {
    this.#parts = parts;
    this.#keys = keys;
    this.#getters = getters;
    this.jsonKinds = jsonKinds;
  }

  text(r: AuditRecord): string {
    let out = '';
    const parts = this.#parts;
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] as Part;
      out += p.get === undefined ? p.text : renderText(p.get(r), p.width);
    }
    return out;
  }

  fields(r: AuditRecord): Record<string, string | readonly string[] | null> {
    const out: Record<string, string | readonly string[] | null> = {};
    const keys = this.#keys;
    const getters = this.#getters;
    for (let i = 0; i < keys.length; i++) {
      const v = (getters[i] as FieldGetter)(r);
      out[keys[i] as string] = v === undefined ? null : v;
    }
    return out;
  }
}
