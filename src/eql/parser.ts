// Recursive-descent parser for Elasticsearch EQL event queries, following the
// structure of Elasticsearch's EqlBase.g4:
//
//   query      := (ANY | IDENTIFIER | STRING) WHERE expression
//   expression := or
//   or         := and (OR and)*
//   and        := not (AND not)*
//   not        := NOT not | value                         (not binds tighter than and/or)
//   value      := operator (cmpOp operator)?              (no chaining)
//   operator   := multiplicative (('+'|'-') multiplicative)*
//   multiplicative := unary (('*'|'/'|'%') unary)*
//   unary      := ('-'|'+') unary | primary predicate?
//   predicate  := NOT? (IN|IN~) '(' expression (',' expression)* ')'
//               | (':'|LIKE|LIKE~|REGEX|REGEX~) (constant | '(' constant (',' constant)* ')')
//   primary    := constant | function '(' args ')' | '?'? name ('.' name)* | '(' expression ')'
//
// Infix arithmetic is represented with the equivalent function calls (`a + b` is
// add(a, b); Elasticsearch builds the same Add node for both), and unary minus on
// a number literal folds into a negative literal.

import type {
  ComparisonOperator, EventQuery, Expr, FieldRef, FunctionCall, InList, Literal, LiteralValue, PatternMatch, Span,
} from './ast.js';
import { EqlSyntaxError } from './errors.js';
import { arityText, CASE_AWARE_FUNCTIONS, FUNCTION_NAMES, lookupFunction } from './functions.js';
import { KEYWORDS, tokenize, type Token } from './lexer.js';

/** Longest query text accepted, in characters. */
export const MAX_QUERY_LENGTH = 256 * 1024;
/** Deepest nesting of parentheses, `not`, signs and function calls accepted. */
export const MAX_NESTING_DEPTH = 256;

export interface ParseOptions {
  /**
   * Called for errors after which parsing can go on (unknown function, `~` on a
   * function without a case-insensitive variant, wrong number of arguments).
   * Without it they are thrown. Used by lint to report every problem at once.
   * An unknown function call is then replaced by a `null` literal at its span.
   */
  readonly recover?: (error: EqlSyntaxError) => void;
}

const COMPARISON_OPERATORS = new Set<string>(['==', '!=', '<', '<=', '>', '>=']);
const ARITHMETIC = { '+': 'add', '-': 'subtract', '*': 'multiply', '/': 'divide', '%': 'modulo' } as const;
/** Keywords that can only be misused field names here; suggest backquotes for them. */
const NAME_LIKE_KEYWORDS = new Set(['any', 'by', 'join', 'maxspan', 'of', 'sample', 'sequence', 'until', 'where', 'with']);

export function parseQuery(source: string, options: ParseOptions = {}): EventQuery {
  if (source.length > MAX_QUERY_LENGTH) {
    throw new EqlSyntaxError(
      `query too long: ${source.length} characters, the limit is ${MAX_QUERY_LENGTH}`,
      source,
      MAX_QUERY_LENGTH,
    );
  }
  return new Parser(source, tokenize(source), options).query();
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
    private readonly options: ParseOptions,
  ) {}

  query(): EventQuery {
    const first = this.peek();
    if (first.type === 'keyword' && (first.text === 'sequence' || first.text === 'sample' || first.text === 'join')) {
      const what = first.text === 'sequence' ? 'sequence queries' : first.text === 'sample' ? 'sample queries' : 'join queries';
      this.fail(`${what} are not supported yet: only single-event queries (<category> where <condition>)`, first);
    }
    let category: string | null;
    if (first.type === 'keyword' && first.text === 'any') category = null;
    else if (first.type === 'ident' || first.type === 'string') category = first.text;
    else {
      return this.fail(
        `expected an event category (a name such as 'process', a quoted string or 'any') but found ${describe(first)}`,
        first,
        ['event category', 'any'],
      );
    }
    this.pos++;
    const where = this.peek();
    if (!(where.type === 'keyword' && where.text === 'where')) {
      this.fail(`expected 'where' after the event category but found ${describe(where)}`, where, ['where']);
    }
    this.pos++;
    const condition = this.expression();
    const rest = this.peek();
    if (rest.type === 'op' && rest.text === '|') {
      this.fail(`pipes (| head, | tail, | filter, …) are not supported yet`, rest);
    }
    if (rest.type !== 'eof') this.unexpectedAfterExpression(rest, ['and', 'or', 'end of query']);
    return { kind: 'event', category, condition, source: this.source, span: cover(first.span, condition.span) };
  }

  // ---- boolean level -------------------------------------------------------

  private expression(): Expr {
    this.enter();
    const e = this.or();
    this.depth--;
    return e;
  }

  private or(): Expr {
    return this.logical('or', () => this.and());
  }

  private and(): Expr {
    return this.logical('and', () => this.not());
  }

  private logical(kind: 'and' | 'or', operand: () => Expr): Expr {
    const first = operand();
    if (!this.atKeyword(kind)) return first;
    const operands = [first];
    while (this.atKeyword(kind)) {
      this.pos++;
      operands.push(operand());
    }
    return { kind, operands, parenthesized: false, span: cover(first.span, operands[operands.length - 1]!.span) };
  }

  private not(): Expr {
    const t = this.peek();
    if (t.type === 'keyword' && t.text === 'not') {
      this.enter();
      this.pos++;
      const operand = this.not();
      this.depth--;
      return { kind: 'not', operand, parenthesized: false, span: cover(t.span, operand.span) };
    }
    if (t.type === 'ident' && this.peek(1).type === 'keyword' && this.peek(1).text === 'of') {
      this.fail(`process relationships ('${t.text} of [...]') are not supported`, t);
    }
    return this.value();
  }

  private value(): Expr {
    const left = this.operator();
    const op = this.peek();
    if (!(op.type === 'op' && COMPARISON_OPERATORS.has(op.text))) {
      this.rejectAssignment(op);
      return left;
    }
    this.pos++;
    const right = this.operator(op);
    const after = this.peek();
    if (after.type === 'op' && COMPARISON_OPERATORS.has(after.text)) {
      this.fail(`comparisons cannot be chained: combine them with 'and'`, after, ['and', 'or']);
    }
    this.rejectAssignment(after);
    return { kind: 'compare', op: op.text as ComparisonOperator, left, right, parenthesized: false, span: cover(left.span, right.span) };
  }

  private rejectAssignment(t: Token): void {
    if (t.type === 'op' && t.text === '=') this.fail(`unexpected '=': use '==' to compare`, t, ['==']);
  }

  // ---- arithmetic ----------------------------------------------------------

  private operator(after?: Token): Expr {
    return this.binaryArithmetic(['+', '-'], () => this.multiplicative(after));
  }

  private multiplicative(after?: Token): Expr {
    return this.binaryArithmetic(['*', '/', '%'], () => this.unary(after));
  }

  private binaryArithmetic(ops: readonly ('+' | '-' | '*' | '/' | '%')[], operand: () => Expr): Expr {
    let left = operand();
    for (;;) {
      const t = this.peek();
      const op = ops.find((o) => t.type === 'op' && t.text === o);
      if (op === undefined) return left;
      this.pos++;
      const right = this.unaryOrHigher(op, operand);
      left = call(ARITHMETIC[op], [left, right], cover(left.span, right.span));
    }
  }

  private unaryOrHigher(op: string, operand: () => Expr): Expr {
    const t = this.peek();
    if (t.type === 'eof' || (t.type === 'keyword' && (t.text === 'and' || t.text === 'or'))) {
      this.fail(`expected a value after '${op}' but found ${describe(t)}`, t, ['value']);
    }
    return operand();
  }

  private unary(after?: Token): Expr {
    const t = this.peek();
    if (t.type === 'op' && (t.text === '-' || t.text === '+')) {
      this.enter();
      this.pos++;
      const operand = this.unary(t);
      this.depth--;
      if (t.text === '+') return operand;
      const span = cover(t.span, operand.span);
      if (operand.kind === 'literal' && typeof operand.value === 'number') {
        return { kind: 'literal', value: -operand.value, span };
      }
      return call('multiply', [operand, { kind: 'literal', value: -1, span: t.span }], span);
    }
    return this.predicate(this.primary(after));
  }

  // ---- predicates ----------------------------------------------------------

  private predicate(left: Expr): Expr {
    const t = this.peek();
    let negated = false;
    if (t.type === 'keyword' && t.text === 'not') {
      const next = this.peek(1);
      if (next.type === 'keyword' && (next.text === 'in' || next.text === 'in~')) {
        negated = true;
        this.pos++;
      } else if ((next.type === 'keyword' && /^(like|regex)~?$/.test(next.text)) || (next.type === 'op' && next.text === ':')) {
        this.fail(`'not' cannot stand before '${next.text}': write 'not <field> ${next.text} …'`, t);
      } else {
        return left;
      }
    }
    const k = this.peek();
    if (k.type === 'keyword' && (k.text === 'in' || k.text === 'in~')) {
      this.pos++;
      const values = this.list(k, () => this.expression());
      const close = this.tokens[this.pos - 1]!;
      const node: InList = {
        kind: 'in', left, values, caseInsensitive: k.text === 'in~', negated, parenthesized: false, span: cover(left.span, close.span),
      };
      return node;
    }
    const isMatchKeyword = k.type === 'keyword' && /^(like|regex)~?$/.test(k.text);
    if (isMatchKeyword || (k.type === 'op' && k.text === ':')) {
      this.pos++;
      const stringsOnly = isMatchKeyword;
      const patterns = this.patterns(k, stringsOnly);
      const last = this.tokens[this.pos - 1]!;
      const op = k.text === ':' ? ':' : k.text.startsWith('like') ? 'like' : 'regex';
      const node: PatternMatch = {
        kind: 'match', op, caseInsensitive: op === ':' || k.text.endsWith('~'), left, patterns, parenthesized: false, span: cover(left.span, last.span),
      };
      return node;
    }
    return left;
  }

  private patterns(opToken: Token, stringsOnly: boolean): Literal[] {
    const t = this.peek();
    if (t.type === 'op' && t.text === '(') return this.list(opToken, () => this.constant(opToken, stringsOnly));
    return [this.constant(opToken, stringsOnly)];
  }

  /** `( item (, item)* )` after `opToken`. */
  private list<T>(opToken: Token, item: () => T): T[] {
    const open = this.peek();
    if (!(open.type === 'op' && open.text === '(')) {
      this.fail(`expected '(' after '${opToken.text}' but found ${describe(open)}`, open, ['(']);
    }
    this.pos++;
    if (this.atOp(')')) this.fail(`expected a value in the list after '${opToken.text}' but found ')'`, this.peek(), ['value']);
    const items = [item()];
    for (;;) {
      const t = this.peek();
      if (t.type === 'op' && t.text === ',') {
        this.pos++;
        items.push(item());
      } else if (t.type === 'op' && t.text === ')') {
        this.pos++;
        return items;
      } else {
        return this.fail(`expected ',' or ')' in the list after '${opToken.text}' but found ${describe(t)}`, t, [',', ')']);
      }
    }
  }

  private constant(opToken: Token, stringsOnly: boolean): Literal {
    const t = this.peek();
    const value = literalValue(t);
    if (value === undefined || (stringsOnly && typeof value !== 'string')) {
      const what = stringsOnly ? 'a string pattern' : 'a value';
      const hint = t.type === 'ident' || t.type === 'quotedIdent' ? ' (patterns must be constants, not fields)' : '';
      return this.fail(`expected ${what} after '${opToken.text}' but found ${describe(t)}${hint}`, t, [stringsOnly ? 'string' : 'constant']);
    }
    this.pos++;
    return literal(t, value);
  }

  // ---- primaries -----------------------------------------------------------

  private primary(after?: Token): Expr {
    const t = this.peek();
    const value = literalValue(t);
    if (value !== undefined) {
      this.pos++;
      return literal(t, value);
    }
    if (t.type === 'op' && t.text === '(') {
      this.pos++;
      const inner = this.expression();
      const close = this.peek();
      if (!(close.type === 'op' && close.text === ')')) {
        this.unexpectedAfterExpression(close, [')', 'and', 'or'], `expected ')' to close the '(' at ${t.span.line}:${t.span.column}`);
      }
      this.pos++;
      // The span takes in the parentheses, so enclosing nodes cover them too.
      const span = cover(t.span, close.span);
      return 'parenthesized' in inner ? { ...inner, parenthesized: true, span } : { ...inner, span };
    }
    if (t.type === 'tildeIdent' || (t.type === 'ident' && this.peek(1).type === 'op' && this.peek(1).text === '(')) {
      return this.functionCall(t);
    }
    if (t.type === 'op' && t.text === '?') {
      this.pos++;
      const name = this.peek();
      if (name.type !== 'ident' && name.type !== 'quotedIdent') {
        this.fail(`expected a field name after '?' but found ${describe(name)}`, name, ['field name']);
      }
      return this.fieldRef(t, true);
    }
    if (t.type === 'ident' || t.type === 'quotedIdent') return this.fieldRef(t, false);
    const where = after ? ` after '${after.text}'` : '';
    const hint =
      t.type === 'keyword' && NAME_LIKE_KEYWORDS.has(t.text)
        ? ` ('${t.text}' is a reserved word: write \`${t.text}\` to use it as a field name)`
        : '';
    return this.fail(`expected a value${where} but found ${describe(t)}${hint}`, t, ['field', 'constant', 'function call', '(']);
  }

  private fieldRef(start: Token, optional: boolean): FieldRef {
    const segments: string[] = [];
    let last = this.identifier();
    segments.push(last.text);
    for (;;) {
      const t = this.peek();
      if (t.type === 'op' && t.text === '.') {
        this.pos++;
        last = this.identifier();
        segments.push(last.text);
      } else if (t.type === 'op' && t.text === '[') {
        this.fail(`array indexes (field[0]) are not supported`, t);
      } else {
        break;
      }
    }
    return { kind: 'field', name: segments.join('.'), optional, span: cover(start.span, last.span) };
  }

  private identifier(): Token {
    const t = this.peek();
    if (t.type === 'ident' || t.type === 'quotedIdent') {
      this.pos++;
      return t;
    }
    const hint = t.type === 'keyword' ? ` ('${t.text}' is a reserved word: write \`${t.text}\` to use it in a field name)` : '';
    return this.fail(`expected a field name but found ${describe(t)}${hint}`, t, ['field name']);
  }

  private functionCall(nameToken: Token): Expr {
    this.pos++;
    const open = this.peek();
    if (!(open.type === 'op' && open.text === '(')) {
      this.fail(`expected '(' after the function name '${nameToken.text}' but found ${describe(open)}`, open, ['(']);
    }
    this.enter();
    this.pos++;
    const args: Expr[] = [];
    if (!this.atOp(')')) {
      args.push(this.expression());
      while (this.atOp(',')) {
        this.pos++;
        args.push(this.expression());
      }
    }
    const close = this.peek();
    if (!(close.type === 'op' && close.text === ')')) {
      this.fail(`expected ',' or ')' in the arguments of '${nameToken.text}' but found ${describe(close)}`, close, [',', ')']);
    }
    this.pos++;
    this.depth--;
    const span = cover(nameToken.span, close.span);

    const caseInsensitive = nameToken.type === 'tildeIdent';
    const written = caseInsensitive ? nameToken.text.slice(0, -1) : nameToken.text;
    const sig = lookupFunction(written);
    if (sig === undefined) {
      this.recoverable(`unknown function '${written}': the functions are ${FUNCTION_NAMES.join(', ')}`, nameToken, 'unknown-function');
      return { kind: 'literal', value: null, span };
    }
    if (caseInsensitive && !sig.caseAware) {
      this.recoverable(
        `function '${sig.name}' has no case-insensitive variant: '~' is accepted by ${CASE_AWARE_FUNCTIONS.join(', ')}`,
        nameToken,
        'no-case-insensitive-variant',
      );
    }
    if (args.length < sig.minArgs || args.length > sig.maxArgs) {
      const at = args.length > sig.maxArgs ? args[sig.maxArgs]!.span : nameToken.span;
      this.recoverable(`'${sig.name}' expects ${arityText(sig)} but got ${args.length}`, at, 'wrong-arity');
    }
    return call(sig.name, args, span, caseInsensitive);
  }

  // ---- helpers ---------------------------------------------------------------

  private unexpectedAfterExpression(t: Token, expected: readonly string[], lead?: string): never {
    this.rejectAssignment(t);
    if (t.type === 'op' && t.text === '|') this.fail(`pipes (| head, | tail, | filter, …) are not supported yet`, t);
    const keywordCase = t.type === 'ident' && KEYWORDS.has(t.text.toLowerCase()) ? ` (keywords are lower-case: '${t.text.toLowerCase()}')` : '';
    const message = lead
      ? `${lead} but found ${describe(t)}${keywordCase}`
      : `unexpected ${describe(t)}: expected ${expected.map((e) => (e.includes(' ') ? e : `'${e}'`)).join(', ')}${keywordCase}`;
    return this.fail(message, t, expected);
  }

  private enter(): void {
    if (++this.depth > MAX_NESTING_DEPTH) {
      this.fail(`query nests too deeply: more than ${MAX_NESTING_DEPTH} levels`, this.peek());
    }
  }

  private recoverable(message: string, at: Span | Token, code: string): void {
    const span = 'span' in at ? at.span : at;
    const error = new EqlSyntaxError(message, this.source, span.start, [], code);
    if (!this.options.recover) throw error;
    this.options.recover(error);
  }

  private fail(message: string, at: Token, expected: readonly string[] = []): never {
    throw new EqlSyntaxError(message, this.source, at.span.start, expected);
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!;
  }

  private atKeyword(text: string): boolean {
    const t = this.peek();
    return t.type === 'keyword' && t.text === text;
  }

  private atOp(text: string): boolean {
    const t = this.peek();
    return t.type === 'op' && t.text === text;
  }
}

function literalValue(t: Token): LiteralValue | undefined {
  if (t.type === 'string') return t.text;
  if (t.type === 'number') return t.numberValue!;
  if (t.type === 'keyword') {
    if (t.text === 'true') return true;
    if (t.text === 'false') return false;
    if (t.text === 'null') return null;
  }
  return undefined;
}

function literal(t: Token, value: LiteralValue): Literal {
  return t.raw ? { kind: 'literal', value, raw: true, span: t.span } : { kind: 'literal', value, span: t.span };
}

function call(name: FunctionCall['name'], args: Expr[], span: Span, caseInsensitive = false): FunctionCall {
  return { kind: 'call', name, caseInsensitive, args, parenthesized: false, span };
}

function cover(a: Span, b: Span): Span {
  return { start: a.start, end: b.end, line: a.line, column: a.column };
}

function describe(t: Token): string {
  switch (t.type) {
    case 'eof':
      return 'the end of the query';
    case 'string':
      return `string ${shorten(t.text)}`;
    case 'number':
      return `number ${t.text}`;
    case 'quotedIdent':
      return `field \`${shorten(t.text).slice(1, -1)}\``;
    default:
      return `'${t.text}'`;
  }
}

/** A quoted, escaped, length-limited rendering that keeps an error message on one line. */
function shorten(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
