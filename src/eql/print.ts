// AST → canonical EQL text. Parsing the output gives back the same tree (spans
// aside): parentheses are printed where the source had them (`parenthesized`)
// and wherever the grammar needs them; arithmetic is printed as function calls.

import type { EventQuery, Expr, FieldRef, Literal } from './ast.js';
import { KEYWORDS } from './lexer.js';

/** Where an expression stands, which decides whether it needs parentheses. */
export type Position = 'or' | 'and' | 'not' | 'compare' | 'predicate' | 'expression';

export function printQuery(q: EventQuery): string {
  const category = q.category === null ? 'any' : isPlainName(q.category) ? q.category : printString(q.category);
  return `${category} where ${printExpr(q.condition)}`;
}

export function printExpr(e: Expr, position: Position = 'expression'): string {
  const text = printBare(e);
  const wrap = ('parenthesized' in e && e.parenthesized) || needsParens(e, position);
  return wrap ? `(${text})` : text;
}

/** True when `e`, written without parentheses at `position`, would parse differently. */
export function needsParens(e: Expr, position: Position): boolean {
  switch (position) {
    case 'expression':
      return false;
    case 'or':
      return e.kind === 'or';
    case 'and':
      return e.kind === 'or' || e.kind === 'and';
    case 'not':
      return e.kind === 'or' || e.kind === 'and';
    case 'compare':
      return e.kind === 'or' || e.kind === 'and' || e.kind === 'not' || e.kind === 'compare';
    case 'predicate':
      // The left side of `:`, like, regex and in is a primary; a leading minus would swallow the predicate.
      return e.kind !== 'field' && e.kind !== 'call' && !(e.kind === 'literal' && !isNegativeNumber(e.value));
  }
}

function printBare(e: Expr): string {
  switch (e.kind) {
    case 'literal':
      return printLiteral(e);
    case 'field':
      return printField(e);
    case 'not':
      return `not ${printExpr(e.operand, 'not')}`;
    case 'and':
    case 'or':
      return e.operands.map((o) => printExpr(o, e.kind)).join(` ${e.kind} `);
    case 'compare':
      return `${printExpr(e.left, 'compare')} ${e.op} ${printExpr(e.right, 'compare')}`;
    case 'match': {
      const op = e.op === ':' ? ':' : `${e.op}${e.caseInsensitive ? '~' : ''}`;
      const patterns = e.patterns.map((p) => printExpr(p));
      const list = patterns.length === 1 ? patterns[0]! : `(${patterns.join(', ')})`;
      return `${printExpr(e.left, 'predicate')} ${op} ${list}`;
    }
    case 'in':
      return `${printExpr(e.left, 'predicate')} ${e.negated ? 'not ' : ''}in${e.caseInsensitive ? '~' : ''} (${e.values
        .map((v) => printExpr(v))
        .join(', ')})`;
    case 'call':
      return `${e.name}${e.caseInsensitive ? '~' : ''}(${e.args.map((a) => printExpr(a)).join(', ')})`;
  }
}

function printLiteral(l: Literal): string {
  const v = l.value;
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  return l.raw && canPrintRaw(v) ? `"""${v}"""` : printString(v);
}

/** A raw string cannot hold a line break or `"""`, and the lexer would take a leading run of quotes wrongly. */
function canPrintRaw(v: string): boolean {
  return !v.includes('"""') && !/[\r\n]/.test(v);
}

export function printString(v: string): string {
  let out = '"';
  for (const ch of v) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\u{${code.toString(16).padStart(2, '0')}}`;
    else out += ch;
  }
  return out + '"';
}

function printField(f: FieldRef): string {
  const path = f.name
    .split('.')
    .map((s) => (isPlainName(s) ? s : `\`${s.replace(/`/g, '``')}\``))
    .join('.');
  return f.optional ? `?${path}` : path;
}

function isPlainName(s: string): boolean {
  return /^[A-Za-z_@][A-Za-z0-9_]*$/.test(s) && !KEYWORDS.has(s);
}

function isNegativeNumber(v: unknown): boolean {
  return typeof v === 'number' && (v < 0 || Object.is(v, -0));
}
