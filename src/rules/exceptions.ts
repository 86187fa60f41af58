import { concatText, type MappedText, plainText, textOfScalar } from './mapped-text.ts';
import { MSG, validationError } from './messages.ts';
import type { ExceptionEntry, ExceptionInfo } from './model.ts';
import { isListComp } from './read-exceptions.ts';

// compiler.cpp quote_item / paren_item.
function quoteItem(v: string): string {
  return v.includes(' ') && v[0] !== '"' && v[0] !== "'" ? `"${v}"` : v;
}
function parenItem(v: string): string {
  return v[0] === '(' ? v : `(${v})`;
}

// The entry's text, mapped to its YAML scalar (exactly when emitted unchanged).
function mapped(entry: ExceptionEntry, text: string): MappedText {
  const node = entry.node;
  if (node.kind !== 'scalar') return plainText(text);
  if (text === node.value) return textOfScalar(node);
  const inner = text.indexOf(node.value);
  if (inner !== -1) {
    return concatText(
      text.slice(0, inner),
      textOfScalar(node),
      text.slice(inner + node.value.length),
    );
  }
  return {
    text,
    pieces: [{ at: 0, length: text.length, node, nodeOffset: 0, exact: false }],
  };
}

// `(f comp (v1, v2, ...))` for the single-field form.
function buildSingleField(ex: ExceptionInfo, fields: Set<string>): MappedText | undefined {
  const field = ex.fields as ExceptionEntry;
  const comp = ex.comps?.item ?? 'in';
  const parts: (MappedText | string)[] = [];
  for (const val of ex.values) {
    if (val.isList) throw validationError(MSG.valuesNotStrings, ex.ctx);
    parts.push(parts.length === 0 ? '' : ', ', mapped(val, quoteItem(val.item)));
    fields.add(field.item);
  }
  if (parts.length === 0) return undefined;
  return concatText('(', mapped(field, field.item), ` ${comp} (`, ...parts, '))');
}

// `((f1 c1 v1 and f2 c2 v2) or (...))` for the list form.
function buildFieldList(ex: ExceptionInfo, fields: Set<string>): MappedText | undefined {
  const fieldItems = (ex.fields as ExceptionEntry).items;
  const comps = ex.comps?.items ?? [];
  const alternatives: (MappedText | string)[] = [];
  for (const values of ex.values) {
    if (fieldItems.length !== values.items.length) {
      throw validationError(MSG.valuesLength, ex.ctx);
    }
    const checks: (MappedText | string)[] = [];
    fieldItems.forEach((field, k) => {
      const value = values.items[k] as ExceptionEntry;
      const comp = comps[k]?.item ?? '=';
      let rhs: MappedText;
      if (value.isList) {
        const items: (MappedText | string)[] = [];
        for (const v of value.items)
          items.push(items.length === 0 ? '' : ', ', mapped(v, quoteItem(v.item)));
        rhs = concatText('(', ...items, ')');
      } else {
        rhs = mapped(value, isListComp(comp) ? parenItem(value.item) : quoteItem(value.item));
      }
      checks.push(k === 0 ? ' ' : ' and ', mapped(field, field.item), ` ${comp} `, rhs);
      fields.add(field.item);
    });
    alternatives.push(alternatives.length === 0 ? '(' : ' or (', ...checks, ')');
  }
  if (alternatives.length === 0) return undefined;
  return concatText('(', ...alternatives, ')');
}

/** A rule condition with its exceptions appended. */
export interface WithExceptions {
  readonly condition: MappedText;
  /** The exception fields, in order of first appearance. */
  readonly fields: readonly string[];
  /** The exceptions that added a clause (those with values), in order. */
  readonly clauses: readonly string[];
}

/**
 * Appends the exceptions to a rule condition as Falco does (compiler.cpp
 * build_rule_exception_infos): `(<cond>) and not (<clause>) and not ...`. Throws
 * RuleLoadError.
 */
export function applyExceptions(
  cond: MappedText,
  exceptions: readonly ExceptionInfo[],
): WithExceptions {
  const fields = new Set<string>();
  const clauses: string[] = [];
  if (exceptions.length === 0) return { condition: cond, fields: [], clauses };
  let out = concatText('(', cond, ')');
  for (const ex of exceptions) {
    if (ex.fields === undefined) continue;
    const clause = ex.fields.isList ? buildFieldList(ex, fields) : buildSingleField(ex, fields);
    if (clause === undefined) continue;
    out = concatText(out, ' and not ', clause);
    clauses.push(ex.name);
  }
  return { condition: out, fields: [...fields], clauses };
}
