// Span-free views of the AST, so tests compare structure only.
import { readFileSync } from 'node:fs';
import type { EventQuery, Expr } from '../../../src/eql/ast.js';

/** Deep copy without `span` and `source` keys. */
export function strip<T>(node: T): T {
  return JSON.parse(JSON.stringify(node, (k, v) => (k === 'span' || k === 'source' ? undefined : v))) as T;
}

/** Compact s-expression of an expression: `(and^ (== event.type "creation") …)`, `^` marks parenthesized nodes. */
export function shape(e: Expr): string {
  const p = 'parenthesized' in e && e.parenthesized ? '^' : '';
  switch (e.kind) {
    case 'literal':
      return e.raw ? `raw${JSON.stringify(e.value)}` : JSON.stringify(e.value);
    case 'field':
      return `${e.optional ? '?' : ''}${e.name}`;
    case 'not':
      return `(not${p} ${shape(e.operand)})`;
    case 'and':
    case 'or':
      return `(${e.kind}${p} ${e.operands.map(shape).join(' ')})`;
    case 'compare':
      return `(${e.op}${p} ${shape(e.left)} ${shape(e.right)})`;
    case 'match':
      return `(${e.op}${e.op !== ':' && e.caseInsensitive ? '~' : ''}${p} ${shape(e.left)} ${e.patterns.map(shape).join(' ')})`;
    case 'in':
      return `(${e.negated ? 'not-in' : 'in'}${e.caseInsensitive ? '~' : ''}${p} ${shape(e.left)} ${e.values.map(shape).join(' ')})`;
    case 'call':
      return `(${e.name}${e.caseInsensitive ? '~' : ''}${p}${e.args.map((a) => ' ' + shape(a)).join('')})`;
  }
}

export function queryShape(q: EventQuery): string {
  return `${q.category ?? 'any'} where ${shape(q.condition)}`;
}

/** The seed rule's query (version 3, restored field names and parentheses) from the shared reference. */
export function seedRuleQuery(): string {
  const md = readFileSync(new URL('../../../../shared/reference/rule.md', import.meta.url), 'utf8');
  const block = /## The query[^\n]*\n```\n([\s\S]*?)\n```/.exec(md);
  if (!block) throw new Error('rule.md: query block not found');
  return block[1]!;
}
