/**
 * The condition AST. Every node carries `start`/`end` offsets into the condition text it
 * was parsed from, so errors can point at the exact place (a caret under the text).
 */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export type Expr = AndExpr | OrExpr | NotExpr | CheckExpr | MacroRef;

/**
 * Where a node of a loaded rule's condition came from, set by the rules loader for
 * explanations and never read by the compiler (the generated code is the same with or
 * without it).
 */
export interface NodeOrigin {
  /**
   * This node is the condition of these macros, outermost first: `[a, b]` when macro `a`
   * is written `(b)` and this is `b`'s condition.
   */
  readonly macros?: readonly string[];
  /** This node is the `not (...)` clause that the named exception of the rule added. */
  readonly exception?: string;
}

export interface AndExpr extends Span, NodeOrigin {
  readonly kind: 'and';
  readonly children: readonly Expr[];
}

export interface OrExpr extends Span, NodeOrigin {
  readonly kind: 'or';
  readonly children: readonly Expr[];
}

export interface NotExpr extends Span, NodeOrigin {
  readonly kind: 'not';
  readonly child: Expr;
}

/** A bare identifier in check position: a macro reference, resolved by rules/expand. */
export interface MacroRef extends Span, NodeOrigin {
  readonly kind: 'macro';
  readonly name: string;
}

/** `lhs op rhs` or `lhs exists`. */
export interface CheckExpr extends Span, NodeOrigin {
  readonly kind: 'check';
  readonly lhs: Operand;
  readonly op: Operator;
  /**
   * `ka.user.name startswith anyof (system:, eks:)`: apply a string operator to each list
   * item; `anyof`/`oneof` need one item to match, `allof` every item. The rhs is a list.
   */
  readonly modifier?: Modifier;
  /** Absent only for the unary `exists`. */
  readonly rhs?: Rhs;
}

export type Modifier = 'oneof' | 'anyof' | 'allof';

/** `ka.uri.param[command]`: `arg` is the text between the brackets, unquoted. */
export interface FieldRef extends Span {
  readonly kind: 'field';
  readonly name: string;
  readonly arg?: string;
}

export type TransformerName = 'tolower' | 'toupper' | 'b64' | 'basename' | 'len';

/** `tolower(ka.user.name)`, nestable. */
export interface TransformRef extends Span {
  readonly kind: 'transform';
  readonly name: TransformerName;
  readonly arg: Operand;
}

export type Operand = FieldRef | TransformRef;

/** A scalar literal: bare word, number or quoted string (already unescaped). */
export interface ValueLit extends Span {
  readonly kind: 'value';
  readonly value: string;
  readonly quoted: boolean;
  /** The `list:` item this value was substituted from, when the rules loader knows it. */
  readonly list?: string;
}

/** `(a, "b c", 3)`. */
export interface ListLit extends Span {
  readonly kind: 'list';
  readonly items: readonly ValueLit[];
  /** The `list:` items substituted into it, in order (an empty list leaves no item). */
  readonly lists?: readonly string[];
}

/** `val(ka.impuser.name)`: compare against another field's value. */
export interface FieldValueRef extends Span {
  readonly kind: 'val';
  readonly field: Operand;
}

export type Rhs = ValueLit | ListLit | FieldValueRef | TransformRef;

export type Operator =
  | '='
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'contains'
  | 'icontains'
  | 'bcontains'
  | 'startswith'
  | 'bstartswith'
  | 'endswith'
  | 'glob'
  | 'iglob'
  | 'regex'
  | 'in'
  | 'intersects'
  | 'pmatch'
  | 'exists';
