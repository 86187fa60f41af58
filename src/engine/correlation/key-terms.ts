import { createHash } from 'node:crypto';
import type { AuditRecord, EventSource } from '../../events/index.ts';
import type { FieldGetter, FieldRegistry } from '../../fields/index.ts';
import { compileOutputGetters, parseOutputFormat } from '../../lang/index.ts';
import type { KeyTerm } from '../../rules/index.ts';

/** Key combinations one event may join (a list-valued term multiplies them). */
export const MAX_KEY_COMBINATIONS = 16;
/** A longer key value keeps its start and a digest of the whole, so memory stays bounded. */
export const MAX_KEY_VALUE_CHARS = 256;

/** Values of a term (or terms) for one event; undefined when one is absent. */
export type TermValues = (rec: AuditRecord) => readonly string[] | undefined;
/** Combinations of several terms' values; undefined when a term is absent. */
export type KeyCombinations = (rec: AuditRecord) => readonly (readonly string[])[] | undefined;

/** Bounds an attacker-chosen value: distinct long values stay distinct, at a fixed size. */
export function boundKeyValue(v: string): string {
  if (v.length <= MAX_KEY_VALUE_CHARS) return v;
  const digest = createHash('sha256').update(v).digest('hex').slice(0, 16);
  return `${v.slice(0, MAX_KEY_VALUE_CHARS - 24)}…${digest}`;
}

function unique(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    const b = boundKeyValue(v);
    if (!out.includes(b)) out.push(b);
    if (out.length >= MAX_KEY_COMBINATIONS) break;
  }
  return out;
}

function expand(acc: string[], v: string | readonly string[]): string[] {
  if (typeof v === 'string') return acc.map((a) => a + v);
  const next: string[] = [];
  for (const a of acc) {
    for (const x of v) if (next.length < MAX_KEY_COMBINATIONS) next.push(a + x);
  }
  return next;
}

/**
 * Compiles a term: a field gives its value, or each value of a list; a template joins its
 * text and fields, once per value of a list field. An absent field (anywhere in the term)
 * gives undefined: the event is not correlated under that term.
 */
export function compileTermValues(
  term: KeyTerm,
  registry: FieldRegistry,
  source: EventSource,
): TermValues {
  const env = { registry, source };
  const parts = compileOutputGetters(parseOutputFormat(term.template, env), env);
  const only = parts[0];
  if (parts.length === 1 && typeof only === 'function') {
    const get: FieldGetter = only;
    return (rec) => {
      const v = get(rec);
      if (v === undefined) return undefined;
      return typeof v === 'string' ? [boundKeyValue(v)] : unique(v);
    };
  }
  return (rec) => {
    let acc = [''];
    for (const p of parts) {
      if (typeof p === 'string') {
        acc = expand(acc, p);
        continue;
      }
      const v = p(rec);
      if (v === undefined) return undefined;
      acc = expand(acc, v);
    }
    return unique(acc);
  };
}

const ONE_EMPTY: readonly (readonly string[])[] = [[]];

/** The combinations of several terms' values (their cartesian product, bounded). */
export function compileKeyCombinations(
  terms: readonly KeyTerm[],
  registry: FieldRegistry,
  source: EventSource,
): KeyCombinations {
  if (terms.length === 0) return () => ONE_EMPTY;
  const fns = terms.map((t) => compileTermValues(t, registry, source));
  return (rec) => {
    let combos: string[][] = [[]];
    for (const fn of fns) {
      const vs = fn(rec);
      if (vs === undefined) return undefined;
      const next: string[][] = [];
      for (const c of combos) {
        for (const v of vs) if (next.length < MAX_KEY_COMBINATIONS) next.push([...c, v]);
      }
      combos = next;
    }
    return combos;
  };
}
