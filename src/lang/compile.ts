import { type Code, codeName, joinCode, js } from '../codegen/index.ts';
import type { AuditRecord } from '../events/record.ts';
import type { FieldValue } from '../fields/field.ts';
import type { Expr, FieldRef, Operand, TransformerName } from './ast.ts';
import { validateCheck } from './check.ts';
import { type EmitContext, emitCheck } from './emit-check.ts';
import { undefinedMacroError } from './errors.ts';
import { printOperand } from './print.ts';
import { bindField, type CheckEnv, resolveOperand } from './resolve.ts';
import { applyTransformer } from './transformers.ts';

/** Fields and source the compiler resolves against. */
export type CompileEnv = CheckEnv;

/** Builds one generated function out of many expressions sharing one field cache. */
export interface CodegenScope {
  /** A JS boolean expression evaluating `expr` against the record variable `r`. Field reads go through a per-event cache shared by every expression emitted in this scope. Throws ConditionError for an invalid expression. */
  emit(expr: Expr): Code;
  /** A runtime value (Set, matcher, function, array) passed to the generated function as a parameter; returns the parameter's name as Code. */
  helper(value: unknown, hint?: string): Code;
  /** Builds `function (r, ...params) { <field-cache prologue>; <body> }` with new Function, helpers bound as parameters. Returns the function and its full source (for `rules explain` / `--dump-js`). */
  build<F extends (...args: never[]) => unknown>(
    body: Code,
    params?: readonly string[],
  ): { readonly fn: F; readonly source: string };
}

/** A compiled condition and its generated source. */
export interface CompiledCondition {
  readonly fn: (r: AuditRecord) => boolean;
  readonly source: string;
}

const TRANSFORM_FNS: Readonly<Record<TransformerName, (v: FieldValue) => FieldValue>> = {
  tolower: (v) => applyTransformer('tolower', v),
  toupper: (v) => applyTransformer('toupper', v),
  b64: (v) => applyTransformer('b64', v),
  basename: (v) => applyTransformer('basename', v),
  len: (v) => applyTransformer('len', v),
};

/**
 * Creates a code generation scope. Each distinct field (with its argument) becomes a
 * getter parameter `gN` and a cache local `cN`, read as `(cN !== null ? cN : (cN = gN(r)))`.
 * Null marks "not read yet" (a field value is a string, a list or undefined): a test
 * against the null literal carries no type feedback, so the JIT cannot find it missing
 * when a rarely reached check first reads a field, which threw the generated function's
 * optimized code away (a sentinel object compared with !== did).
 *
 * @example const s = createCodegenScope(env); const { fn } = s.build(js`return ${s.emit(e)};`);
 */
export function createCodegenScope(env: CompileEnv): CodegenScope {
  const helperNames: string[] = [];
  const helperValues: unknown[] = [];
  const helperByValue = new Map<unknown, Code>();
  const fields = new Map<string, { readonly cache: Code; readonly getter: Code }>();
  const cacheNames: string[] = [];
  // One scratch local serves every check: a check assigns and reads it before any other
  // check runs (operands contain no checks).
  let usesTemp = false;

  const helper = (value: unknown, hint = 'h'): Code => {
    const known = helperByValue.get(value);
    if (known !== undefined) return known;
    const base = hint.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=\d)/, '_');
    const name = codeName(`${base}_${helperNames.length}`);
    helperNames.push(name.toString());
    helperValues.push(value);
    helperByValue.set(value, name);
    return name;
  };

  const readField = (ref: FieldRef): Code => {
    const key = printOperand(ref);
    let f = fields.get(key);
    if (f === undefined) {
      const { get } = bindField(ref, env);
      f = { cache: codeName(`c${cacheNames.length}`), getter: helper(get, 'g') };
      cacheNames.push(f.cache.toString());
      fields.set(key, f);
    }
    return js`(${f.cache} !== null ? ${f.cache} : (${f.cache} = ${f.getter}(r)))`;
  };

  const readOperand = (op: Operand): Code => {
    if (op.kind === 'field') return readField(op);
    return js`${helper(TRANSFORM_FNS[op.name], op.name)}(${readOperand(op.arg)})`;
  };

  const ctx: EmitContext = {
    helper,
    readOperand,
    temp: () => {
      usesTemp = true;
      return codeName('$t');
    },
  };

  // Expanded conditions are DAGs: a macro's tree is shared by every use. Each node is
  // emitted once; a node used again whose code is long becomes a local function that
  // remembers its result for the event, so both the generated source and the work per
  // event grow with the distinct nodes, not with the expanded tree.
  const emitted = new Map<Expr, Code>();
  const sharedCalls = new Set<Code>();
  const sharedDecls: string[] = [];
  let uses = new Map<Expr, number>();

  const share = (e: Expr, code: Code): Code => {
    const n = sharedDecls.length;
    const fn = codeName(`s${n}`);
    const memo = codeName(`v${n}`);
    sharedDecls.push(`${fn} = () => (${memo} !== undefined ? ${memo} : (${memo} = ${code}))`);
    const call = js`${fn}()`;
    sharedCalls.add(call);
    emitted.set(e, call);
    return call;
  };

  const emitNode = (e: Expr): Code => {
    const known = emitted.get(e);
    if (known !== undefined) {
      return sharedCalls.has(known) || known.toString().length < SHARE_CHARS
        ? known
        : share(e, known);
    }
    const code = emitFresh(e);
    if ((uses.get(e) ?? 0) > 1 && code.toString().length >= SHARE_CHARS) return share(e, code);
    emitted.set(e, code);
    return code;
  };

  const emitFresh = (expr: Expr): Code => {
    switch (expr.kind) {
      case 'and':
      case 'or': {
        const parts = expr.children.map(emitNode);
        return js`(${joinCode(parts, expr.kind === 'and' ? ' && ' : ' || ')})`;
      }
      case 'not':
        return js`!${emitNode(expr.child)}`;
      case 'macro':
        throw undefinedMacroError(expr);
      case 'check': {
        const spec = validateCheck(expr, env);
        return emitCheck(expr, spec, resolveOperand(expr.lhs, env), ctx);
      }
    }
  };

  const emit = (expr: Expr): Code => {
    uses = countUses(expr, emitted);
    return emitNode(expr);
  };

  const build = <F extends (...args: never[]) => unknown>(
    body: Code,
    params: readonly string[] = [],
  ): { readonly fn: F; readonly source: string } => {
    const extra = params.map((p) => js`, ${codeName(p)}`);
    const locals = cacheNames.map((c) => `${c} = null`);
    if (usesTemp) locals.push('$t');
    for (let i = 0; i < sharedDecls.length; i++) locals.push(`v${i}`);
    let decl = locals.length > 0 ? `let ${locals.join(', ')};\n` : '';
    // Declared after the caches they read; each calls only functions declared before it.
    if (sharedDecls.length > 0) decl += `const ${sharedDecls.join(',\n')};\n`;
    const fnSource = `function (r${joinCode(extra, '')}) {\n${decl}${body.toString()}\n}`;
    const factory = new Function(...helperNames, `'use strict';\nreturn ${fnSource};`);
    const fn = factory(...helperValues) as F;
    return { fn, source: fnSource };
  };

  return { emit, helper, build };
}

// Code at least this long is not repeated: a second use calls a shared function instead.
// Over twice the longest repeated node of Falco's and kaudit's k8s rules (412 characters), so
// their generated code has no calls (a function reading the field caches makes reads slower).
const SHARE_CHARS = 1024;

/**
 * How many times each node is used within `root` (a node reached through several
 * parents counts once per parent), plus once for nodes emitted before in this scope.
 */
function countUses(root: Expr, emitted: ReadonlyMap<Expr, Code>): Map<Expr, number> {
  const uses = new Map<Expr, number>();
  const visit = (e: Expr): void => {
    const n = uses.get(e);
    uses.set(e, (n ?? (emitted.has(e) ? 1 : 0)) + 1);
    if (n !== undefined || emitted.has(e)) return;
    if (e.kind === 'and' || e.kind === 'or') for (const c of e.children) visit(c);
    else if (e.kind === 'not') visit(e.child);
  };
  visit(root);
  return uses;
}

/**
 * Compiles a condition into a JS function through a fresh codegen scope. Throws
 * ConditionError for the first problem checkExpr would report.
 *
 * @example compileCondition(parseCondition('ka.verb = create'), env).fn(record)
 */
export function compileCondition(expr: Expr, env: CompileEnv): CompiledCondition {
  const scope = createCodegenScope(env);
  const body = scope.emit(expr);
  const built = scope.build<(r: AuditRecord) => boolean>(js`return ${body};`);
  return { fn: built.fn, source: built.source };
}
