import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventQuery, Expr, Literal, Span } from '../../../src/eql/ast.js';
import { EqlSyntaxError } from '../../../src/eql/errors.js';
import { FUNCTION_NAMES, lookupFunction } from '../../../src/eql/functions.js';
import { KEYWORDS } from '../../../src/eql/lexer.js';
import { parseQuery } from '../../../src/eql/parser.js';
import { needsParens, printExpr, printQuery, type Position } from '../../../src/eql/print.js';
import { seedRuleQuery, strip } from './ast-helpers.js';

const span: Span = { start: 0, end: 0, line: 1, column: 1 };

// ---- generators of parser-shaped trees -------------------------------------

const plainName = fc
  .stringMatching(/^[A-Za-z_@][A-Za-z0-9_]{0,8}$/)
  .filter((s) => !KEYWORDS.has(s));
const segment = fc.oneof(
  { weight: 4, arbitrary: plainName },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }).filter((s) => !s.includes('.')) },
);
const field = fc
  .record({ segments: fc.array(segment, { minLength: 1, maxLength: 4 }), optional: fc.boolean() })
  .map(({ segments, optional }): Expr => ({ kind: 'field', name: segments.join('.'), optional, span }));

const oneChar = (unit: 'binary' | 'grapheme-ascii'): fc.Arbitrary<string> => fc.string({ unit, minLength: 1, maxLength: 1 });
const anyString = fc.string({
  unit: fc.oneof(fc.constantFrom('"', '\\', '*', '?', '\n', '\r', '`', "'", ' '), oneChar('binary'), oneChar('grapheme-ascii')),
  maxLength: 12,
});
const stringLiteral = fc.record({ value: anyString, raw: fc.boolean() }).map(({ value, raw }): Literal => {
  const printableRaw = raw && !value.includes('"""') && !/[\r\n]/.test(value);
  return printableRaw ? { kind: 'literal', value, raw: true, span } : { kind: 'literal', value, span };
});
const number = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
const constant = fc.oneof(
  { weight: 3, arbitrary: stringLiteral },
  { weight: 1, arbitrary: number.map((value): Literal => ({ kind: 'literal', value, span })) },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null).map((value): Literal => ({ kind: 'literal', value, span })) },
);
/** Patterns after ':' are unsigned constants; after like/regex, strings. */
const colonPattern = constant.filter((l) => !(typeof l.value === 'number' && (l.value < 0 || Object.is(l.value, -0))));

const { expr } = fc.letrec<{ expr: Expr }>((tie) => {
  const sub = tie('expr');
  const parens = fc.boolean();
  return {
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      constant,
      field,
      fc.record({ operand: sub, parenthesized: parens }).map((r): Expr => ({ kind: 'not', ...r, span })),
      fc
        .record({ kind: fc.constantFrom('and' as const, 'or' as const), operands: fc.array(sub, { minLength: 2, maxLength: 3 }), parenthesized: parens })
        .map((r): Expr => ({ ...r, span })),
      fc
        .record({ op: fc.constantFrom('==', '!=', '<', '<=', '>', '>=' as const), left: sub, right: sub, parenthesized: parens })
        .map((r): Expr => ({ kind: 'compare', ...r, span })),
      fc
        .record({
          kind: fc.constantFrom(':' as const, 'like' as const, 'regex' as const),
          ci: fc.boolean(),
          left: sub,
          colonPatterns: fc.array(colonPattern, { minLength: 1, maxLength: 3 }),
          stringPatterns: fc.array(stringLiteral, { minLength: 1, maxLength: 3 }),
          parenthesized: parens,
        })
        .map(({ kind, ci, left, colonPatterns, stringPatterns, parenthesized }): Expr => ({
          kind: 'match',
          op: kind,
          caseInsensitive: kind === ':' ? true : ci,
          left,
          patterns: kind === ':' ? colonPatterns : stringPatterns,
          parenthesized,
          span,
        })),
      fc
        .record({ left: sub, values: fc.array(sub, { minLength: 1, maxLength: 3 }), caseInsensitive: fc.boolean(), negated: fc.boolean(), parenthesized: parens })
        .map((r): Expr => ({ kind: 'in', ...r, span })),
      fc
        .record({ name: fc.constantFrom(...FUNCTION_NAMES), ci: fc.boolean(), args: fc.array(sub, { maxLength: 4 }), parenthesized: parens })
        .map(({ name, ci, args, parenthesized }): Expr => {
          const sig = lookupFunction(name)!;
          const n = Math.min(Math.max(args.length, sig.minArgs), sig.maxArgs);
          const filled = Array.from({ length: n }, (_, i) => args[i] ?? ({ kind: 'literal', value: i, span } as Literal));
          return { kind: 'call', name, caseInsensitive: ci && sig.caseAware, args: filled, parenthesized, span };
        }),
    ),
  };
});

const query = fc
  .record({
    category: fc.oneof(fc.constant(null), plainName, fc.string({ maxLength: 8 })),
    condition: expr,
  })
  .map(({ category, condition }): EventQuery => ({ kind: 'event', category, condition, source: '', span }));

/** The tree the parser builds for the printed text: parentheses wherever the grammar needs them. */
function withRequiredParens(e: Expr, position: Position): Expr {
  const wrap = <T extends Expr & { parenthesized: boolean }>(n: T): T =>
    n.parenthesized || needsParens(n, position) ? { ...n, parenthesized: true } : n;
  switch (e.kind) {
    case 'literal':
    case 'field':
      return e;
    case 'not':
      return wrap({ ...e, operand: withRequiredParens(e.operand, 'not') });
    case 'and':
    case 'or':
      return wrap({ ...e, operands: e.operands.map((o) => withRequiredParens(o, e.kind)) });
    case 'compare':
      return wrap({ ...e, left: withRequiredParens(e.left, 'compare'), right: withRequiredParens(e.right, 'compare') });
    case 'match':
      return wrap({ ...e, left: withRequiredParens(e.left, 'predicate') });
    case 'in':
      return wrap({ ...e, left: withRequiredParens(e.left, 'predicate'), values: e.values.map((v) => withRequiredParens(v, 'expression')) });
    case 'call':
      return wrap({ ...e, args: e.args.map((a) => withRequiredParens(a, 'expression')) });
  }
}

// ---- properties ---------------------------------------------------------------

describe('printQuery', () => {
  it('prints text that parses back to the same tree', () => {
    fc.assert(
      fc.property(query, (q) => {
        const text = printQuery(q);
        const expected = { ...q, condition: withRequiredParens(q.condition, 'expression') };
        expect(strip(parseQuery(text))).toEqual(strip(expected));
      }),
      { numRuns: 2000 },
    );
  });

  it('is a fixed point on the seed rule: print(parse(print(parse(x)))) == print(parse(x))', () => {
    const once = printQuery(parseQuery(seedRuleQuery()));
    expect(printQuery(parseQuery(once))).toBe(once);
    expect(strip(parseQuery(once))).toEqual(strip(parseQuery(seedRuleQuery())));
  });

  it.each([
    ['a and b or c', 'a and b or c'],
    ['(a or b) and c', '(a or b) and c'],
    ['not (a == 1)', 'not (a == 1)'],
    ['a : "x" == true', 'a : "x" == true'],
    ['(-1) : "x"', '(-1) : "x"'],
    ['a + -1 > 2', 'add(a, -1) > 2'],
    ['`my field`.x == """C:\\x"""', '`my field`.x == """C:\\x"""'],
    ['a == "tab\\there\\u{01}\\u{7F}"', 'a == "tab\\there\\u{01}\\u{7f}"'],
    ['?`by`.`with``tick` in~ ("x")', '?`by`.`with``tick` in~ ("x")'],
    ['STARTSWITH~(a, "b")', 'startsWith~(a, "b")'],
  ])('prints %s canonically', (source, printed) => {
    expect(printExpr(parseQuery(`any where ${source}`).condition)).toBe(printed);
  });

  it('quotes categories that are not plain names', () => {
    expect(printQuery(parseQuery('"my-cat" where true'))).toBe('"my-cat" where true');
    expect(printQuery(parseQuery('"any" where true'))).toBe('"any" where true');
    expect(printQuery(parseQuery('any where true'))).toBe('any where true');
  });
});

describe('parseQuery on arbitrary input', () => {
  const onlySyntaxErrors = (source: string): void => {
    try {
      parseQuery(source);
    } catch (e) {
      if (!(e instanceof EqlSyntaxError)) throw e;
      expect(e.line).toBeGreaterThanOrEqual(1);
      expect(e.column).toBeGreaterThanOrEqual(1);
      expect(e.format().split('\n')).toHaveLength(3);
    }
  };

  it('fails only with EqlSyntaxError on random text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), onlySyntaxErrors), { numRuns: 2000 });
  });

  it('fails only with EqlSyntaxError on mutations of the seed rule', () => {
    const seed = seedRuleQuery();
    const alphabet = fc.constantFrom('(', ')', '"', '\\', ':', '~', ' ', 'not ', 'and ', '`', '?', ',', '\n', '*', '-', '.', '|');
    const mutation = fc.record({ at: fc.nat(seed.length), cut: fc.nat(5), insert: fc.array(alphabet, { maxLength: 3 }) });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        let s = seed;
        for (const m of mutations) s = s.slice(0, m.at) + m.insert.join('') + s.slice(m.at + m.cut);
        onlySyntaxErrors(s);
      }),
      { numRuns: 2000 },
    );
  });
});
