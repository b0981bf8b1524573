// Semantic decisions documented in docs/semantics.md, one assertion each.
import { describe, expect, it } from 'vitest';
import { compileQuery, compileQuerySet } from '../../../src/compile/compiler.js';
import { LuceneRegex, RegexUnsupportedError } from '../../../src/compile/regex.js';
import { textView, WildcardPattern } from '../../../src/compile/wildcard.js';
import { parseQuery } from '../../../src/eql/parser.js';

const m = (query: string, event: unknown, ignoreAbove?: number): boolean =>
  compileQuery(parseQuery(query), ignoreAbove === undefined ? {} : { ignoreAbove }).matches(event);

describe('missing fields', () => {
  it('a predicate on a missing field is false, its negation true (must_not)', () => {
    expect(m('any where a : "x*"', {})).toBe(false);
    expect(m('any where not a : "x*"', {})).toBe(true);
    expect(m('any where a != "x"', {})).toBe(true);
    expect(m('any where a not in ("x")', {})).toBe(true);
    expect(m('any where a == null', {})).toBe(true);
    expect(m('any where a != null', { a: 'v' })).toBe(true);
  });

  it('a function over a missing field is null, and null never matches, also under not', () => {
    expect(m('any where startsWith(concat(a, ""), "x")', {})).toBe(false);
    expect(m('any where not startsWith(concat(a, ""), "x")', {})).toBe(false);
    expect(m('any where length(a) > 0', {})).toBe(false);
    expect(m('any where not (length(a) > 0)', {})).toBe(false);
    expect(m('any where not (length(a) > 0)', { a: '' })).toBe(true);
  });

  it('startsWith/endsWith/stringContains on a field are queries: two-valued', () => {
    expect(m('any where not startsWith(a, "x")', {})).toBe(true);
    expect(m('any where endsWith~(a, "EXE")', { a: ['x.dll', 'y.exe'] })).toBe(true);
    expect(m('any where stringContains(a, "*")', { a: 'a*b' })).toBe(true);
    expect(m('any where stringContains(a, "*")', { a: 'ab' })).toBe(false);
  });
});

describe('values', () => {
  it('ignore_above: longer strings are absent, per array element; 0 disables', () => {
    expect(m('any where a : "*"', { a: 'x'.repeat(1025) })).toBe(false);
    expect(m('any where a : "*"', { a: 'x'.repeat(1024) })).toBe(true);
    expect(m('any where not a : "z*"', { a: 'z'.repeat(1025) })).toBe(true);
    expect(m('any where a : "z*"', { a: ['z'.repeat(1025), 'zz'] })).toBe(true);
    expect(m('any where a : "*"', { a: 'x'.repeat(2000) }, 0)).toBe(true);
  });

  it('numbers and booleans compare as a keyword field indexes them against strings, numerically against numbers', () => {
    expect(m('any where a == "5"', { a: 5 })).toBe(true);
    expect(m('any where a == 5', { a: '5.0' })).toBe(true);
    expect(m('any where a > 10', { a: '9' })).toBe(false);
    expect(m('any where a > "10"', { a: '9' })).toBe(true); // lexicographic on keywords
    expect(m('any where a == true', { a: 'true' })).toBe(true);
    expect(m('any where a : "tr*"', { a: true })).toBe(true);
    expect(m('any where a == "x"', { a: { b: 'x' } })).toBe(false);
  });

  it('resolves nested, dotted and mixed layouts and arrays of objects, own keys only', () => {
    expect(m('any where a.b.c == "x"', { a: { 'b.c': 'x' } })).toBe(true);
    expect(m('any where a.b.c == "x"', { 'a.b': { c: 'x' } })).toBe(true);
    expect(m('any where a.b.c == "x"', { a: [{ b: { c: 'y' } }, { b: [{ c: 'x' }] }] })).toBe(true);
    expect(m('any where a.b.c == "x"', { a: { b: { c: [['x']] } } })).toBe(true);
    expect(m('any where `constructor`.name == "Object"', {})).toBe(false);
    expect(m('any where `__proto__` != null', JSON.parse('{"__proto__": {}}'))).toBe(false);
  });
});

describe('case folding (Lucene per code point: c or its Java other-case)', () => {
  it('ASCII letters fold; non-ASCII follow the pattern character, asymmetrically', () => {
    expect(WildcardPattern.parse('k*', true).matches(textView('K'))).toBe(true);
    expect(WildcardPattern.parse('k*', true).matches(textView('\u212a'))).toBe(false); // Kelvin sign
    expect(WildcardPattern.parse('\u017f', true).matches(textView('S'))).toBe(true); // long s → S
    expect(WildcardPattern.parse('s', true).matches(textView('\u017f'))).toBe(false);
    expect(WildcardPattern.parse('é?', true).matches(textView('É\u{1F600}'))).toBe(true); // ? is one code point
    expect(WildcardPattern.parse('a\\*', false).matches(textView('a\\xyz'))).toBe(true); // no escapes
  });
});

describe('regex (Lucene syntax, linear-time)', () => {
  const cases: [string, string, boolean][] = [
    ['a.*c', 'abbbc', true],
    ['a.*c', 'abbbcd', false],
    ['[a-c]+\\d{2,3}', 'abc123', true],
    ['[^x]*', 'abx', false],
    ['(ab|cd)?e', 'cde', true],
    ['"a.b"', 'a.b', true],
    ['"a.b"', 'axb', false],
    ['@', 'anything', true],
    ['a{2}', 'aaa', false],
  ];
  it.each(cases)('%s on %s', (re, s, want) => expect(new LuceneRegex(re, false).matches(s)).toBe(want));

  it('regex~ is ASCII case-insensitive', () => {
    expect(new LuceneRegex('abc', true).matches('ABC')).toBe(true);
    expect(new LuceneRegex('é', true).matches('É')).toBe(false);
  });

  it('rejects what needs automaton operations', () => {
    for (const re of ['a&b', '~a', '<1-10>', '(a', '*a']) expect(() => new LuceneRegex(re, false)).toThrow(RegexUnsupportedError);
  });

  it('stays linear on patterns that make backtracking engines explode', () => {
    expect(new LuceneRegex('(a*)*b', false).matches('a'.repeat(50_000))).toBe(false);
  });
});

describe('query sets', () => {
  it('share fields and report every matching query', () => {
    const a = compileQuery(parseQuery('file where file.name : "*.aspx"'));
    const b = compileQuery(parseQuery('any where file.name == "x.aspx"'));
    const c = compileQuery(parseQuery('process where true'));
    const set = compileQuerySet([a, b, c]);
    expect(set.matchAll({ event: { category: 'file' }, file: { name: 'x.aspx' } })).toEqual([0, 1]);
    expect(set.prefilter.literals).toBeNull(); // `process where true` has no literal
    expect(compileQuerySet([a, b]).prefilter.literals).toEqual(['.aspx']);
  });
});
