// The abstract syntax of Elasticsearch EQL event queries (`<category> where <expr>`).
// Every node carries the source span it came from, so the compiler, lint and
// error messages can point at the exact spot.

export interface Span {
  /** 0-based character offset of the first character. */
  readonly start: number;
  /** 0-based character offset just past the last character. */
  readonly end: number;
  /** 1-based line and column of `start`. */
  readonly line: number;
  readonly column: number;
}

export type LiteralValue = string | number | boolean | null;

export interface Literal {
  readonly kind: 'literal';
  readonly value: LiteralValue;
  /** For strings: true when written as a raw string `"""…"""`. */
  readonly raw?: boolean;
  readonly span: Span;
}

export interface FieldRef {
  readonly kind: 'field';
  /** Dotted ECS path as written, backquotes removed: `file.path`, `process.parent.name`. */
  readonly name: string;
  /** Written as `?field`: a field that may be absent from the schema (no error if unknown). */
  readonly optional: boolean;
  readonly span: Span;
}

export interface Not {
  readonly kind: 'not';
  readonly operand: Expr;
  readonly parenthesized: boolean;
  readonly span: Span;
}

export interface Logical {
  readonly kind: 'and' | 'or';
  /** Flattened: `a and b and c` is one node with three operands. */
  readonly operands: readonly Expr[];
  /** True when the source wrapped exactly this node in parentheses (lint uses it). */
  readonly parenthesized: boolean;
  readonly span: Span;
}

export type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';

export interface Comparison {
  readonly kind: 'compare';
  readonly op: ComparisonOperator;
  readonly left: Expr;
  readonly right: Expr;
  readonly parenthesized: boolean;
  readonly span: Span;
}

/**
 * Pattern matching against one or more patterns ("any of"):
 * - `:`            wildcard (`*`, `?`), case-insensitive (same as `like~`)
 * - `like` / `like~` wildcard, case-sensitive / case-insensitive
 * - `regex` / `regex~` regular expression (Lucene syntax), case-sensitive / insensitive
 */
export interface PatternMatch {
  readonly kind: 'match';
  readonly op: ':' | 'like' | 'regex';
  readonly caseInsensitive: boolean;
  readonly left: Expr;
  readonly patterns: readonly Expr[];
  readonly parenthesized: boolean;
  readonly span: Span;
}

/** `x in (…)`, `x in~ (…)`, `x not in (…)`, `x not in~ (…)`. */
export interface InList {
  readonly kind: 'in';
  readonly left: Expr;
  readonly values: readonly Expr[];
  readonly caseInsensitive: boolean;
  readonly negated: boolean;
  readonly parenthesized: boolean;
  readonly span: Span;
}

export type FunctionName =
  | 'add'
  | 'between'
  | 'cidrMatch'
  | 'concat'
  | 'divide'
  | 'endsWith'
  | 'indexOf'
  | 'length'
  | 'modulo'
  | 'multiply'
  | 'number'
  | 'startsWith'
  | 'string'
  | 'stringContains'
  | 'substring'
  | 'subtract';

export interface FunctionCall {
  readonly kind: 'call';
  readonly name: FunctionName;
  /** Written with the `~` suffix (`startsWith~`): case-insensitive variant. */
  readonly caseInsensitive: boolean;
  readonly args: readonly Expr[];
  readonly parenthesized: boolean;
  readonly span: Span;
}

export type Expr = Literal | FieldRef | Not | Logical | Comparison | PatternMatch | InList | FunctionCall;

/** A single-event query: `file where …` or `any where …`. */
export interface EventQuery {
  readonly kind: 'event';
  /** The event category (`file`, `process`, …), or null for `any`. */
  readonly category: string | null;
  readonly condition: Expr;
  /** The query text as given, for error messages and explain. */
  readonly source: string;
  readonly span: Span;
}
