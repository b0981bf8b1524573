import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../../src/eql/parser.js';
import { queryShape, seedRuleQuery, shape } from './ast-helpers.js';

const cond = (condition: string): string => shape(parseQuery(`any where ${condition}`).condition);

describe('the seed rule', () => {
  const source = seedRuleQuery();
  const q = parseQuery(source);

  it('parses to the expected tree', () => {
    const owa = String.raw`?:\*\Microsoft\Exchange Server*\FrontEnd\HttpProxy\owa\auth\*`;
    const owaVersion = String.raw`?:\*\Microsoft\Exchange Server*\FrontEnd\HttpProxy\owa\auth\version\*`;
    const ecp = String.raw`?:\*\Microsoft\Exchange Server*\FrontEnd\HttpProxy\ecp\auth\*`;
    const owaPages = [
      'errorFE.aspx', 'expiredpassword.aspx', 'frowny.aspx', 'GetIdToken.htm', 'logoff.aspx',
      'logon.aspx', 'OutlookCN.aspx', 'RedirSuiteServiceProxy.aspx', 'signout.aspx',
    ];
    const list = (xs: string[]): string => xs.map((x) => JSON.stringify(x)).join(' ');
    const expected =
      `file where (and (== event.type "creation") ` +
      `(: process.name "UMWorkerProcess.exe" "umservice.exe") ` +
      `(: file.extension ${list(['php', 'jsp', 'js', 'aspx', 'asmx', 'asax', 'cfm', 'shtml'])}) ` +
      `(or^ (: file.path ${JSON.stringify(String.raw`?:\inetpub\wwwroot\aspnet_client\*`)}) ` +
      `(and^ (: file.path ${JSON.stringify(owa)}) (not (or^ (: file.path ${JSON.stringify(owaVersion)}) (: file.name ${list(owaPages)})))) ` +
      `(and^ (: file.path ${JSON.stringify(ecp)}) (not (: file.name "TimeoutLogoff.aspx")))))`;
    expect(queryShape(q)).toBe(expected);
  });

  it('decodes \\\\ in the source to one backslash', () => {
    const or = q.condition.kind === 'and' ? q.condition.operands[3] : undefined;
    const first = or?.kind === 'or' ? or.operands[0] : undefined;
    expect(first?.kind === 'match' && first.patterns[0]?.kind === 'literal' && first.patterns[0].value).toBe(
      '?:\\inetpub\\wwwroot\\aspnet_client\\*',
    );
  });

  it('records where each node came from', () => {
    expect(q.span).toMatchObject({ start: 0, end: source.length, line: 1, column: 1 });
    const and = q.condition;
    const or = and.kind === 'and' ? and.operands[3]! : and;
    // The parenthesised `or` spans from its '(' alone on line 4 to the ')' alone on the last line.
    expect(or.span).toMatchObject({ line: 4, column: 3 });
    expect(source.slice(or.span.start, or.span.end)).toMatch(/^\(\s+file\.path[\s\S]*"TimeoutLogoff\.aspx"\)\s*\)$/);
    const first = or.kind === 'or' ? or.operands[0]! : or;
    expect(first.span).toMatchObject({ line: 5, column: 5 });
    expect(source.slice(first.span.start, first.span.end)).toBe(String.raw`file.path : "?:\\inetpub\\wwwroot\\aspnet_client\\*"`);
  });
});

describe('event categories', () => {
  it.each([
    ['process where true', 'process'],
    ['any where true', 'any'],
    ['"my-category" where true', 'my-category'],
    ['"""6 odd.category""" where true', '6 odd.category'],
    ['_x where true', '_x'],
  ])('%s', (source, category) => {
    expect(queryShape(parseQuery(source))).toBe(`${category} where true`);
  });

  it('uses null for any', () => {
    expect(parseQuery('any where true').category).toBeNull();
    expect(parseQuery('"any" where true').category).toBe('any');
  });
});

describe('boolean precedence', () => {
  it.each([
    ['a and b or c', '(or (and a b) c)'],
    ['a or b and c', '(or a (and b c))'],
    ['a and b and c', '(and a b c)'],
    ['a or b or c', '(or a b c)'],
    ['a and (b and c)', '(and a (and^ b c))'],
    ['not a and b', '(and (not a) b)'],
    ['not a or b', '(or (not a) b)'],
    ['not (a or b)', '(not (or^ a b))'],
    ['not a == 1', '(not (== a 1))'],
    ['not not a', '(not (not a))'],
    ['(not a)', '(not^ a)'],
    ['((a or b))', '(or^ a b)'],
    ['a == 1 and not b : "x" or c', '(or (and (== a 1) (not (: b "x"))) c)'],
  ])('%s', (source, expected) => {
    expect(cond(source)).toBe(expected);
  });
});

describe('comparisons and predicates', () => {
  it.each([
    ['a == "x"', '(== a "x")'],
    ['a != "x"', '(!= a "x")'],
    ['a < 1', '(< a 1)'],
    ['a <= 1', '(<= a 1)'],
    ['a > 1', '(> a 1)'],
    ['a >= 1', '(>= a 1)'],
    ['a == b', '(== a b)'],
    ['"x" == a', '(== "x" a)'],
    ['a : "x*"', '(: a "x*")'],
    ['a : ("x", "y?")', '(: a "x" "y?")'],
    ['a : 5', '(: a 5)'],
    ['a like "x*"', '(like a "x*")'],
    ['a like~ ("x*", "y")', '(like~ a "x*" "y")'],
    ['a regex "x.*"', '(regex a "x.*")'],
    ['a regex~ ("x.*", "[0-9]+")', '(regex~ a "x.*" "[0-9]+")'],
    ['a in ("x", "y")', '(in a "x" "y")'],
    ['a in~ ("x")', '(in~ a "x")'],
    ['a not in (1, 2)', '(not-in a 1 2)'],
    ['a not in~ ("x", b)', '(not-in~ a "x" b)'],
    ['a in (b, length(c))', '(in a b (length c))'],
    ['length(a) : "1"', '(: (length a) "1")'],
  ])('%s', (source, expected) => {
    expect(cond(source)).toBe(expected);
  });

  it('marks : as case-insensitive and like/regex by their ~', () => {
    const flags = ['a : "x"', 'a like "x"', 'a like~ "x"', 'a regex "x"', 'a regex~ "x"'].map((s) => {
      const e = parseQuery(`any where ${s}`).condition;
      return e.kind === 'match' ? e.caseInsensitive : undefined;
    });
    expect(flags).toEqual([true, false, true, false, true]);
  });
});

describe('functions', () => {
  it.each([
    ['startsWith(a, "x")', '(startsWith a "x")'],
    ['startsWith~(a, "x")', '(startsWith~ a "x")'],
    ['STARTSWITH(a, "x")', '(startsWith a "x")'],
    ['between~(a, "x", "y", true)', '(between~ a "x" "y" true)'],
    ['cidrMatch(source.ip, "10.0.0.0/8", "192.168.0.0/16")', '(cidrMatch source.ip "10.0.0.0/8" "192.168.0.0/16")'],
    ['concat(a)', '(concat a)'],
    ['indexOf~(a, "x", 2)', '(indexOf~ a "x" 2)'],
    ['number("0x1F", 16)', '(number "0x1F" 16)'],
    ['substring(a, 1)', '(substring a 1)'],
    ['stringContains~(a, "x")', '(stringContains~ a "x")'],
    ['endsWith~(a, "x")', '(endsWith~ a "x")'],
    ['string(1)', '(string 1)'],
    ['add(1, modulo(divide(multiply(a, 2), 3), subtract(4, 5)))', '(add 1 (modulo (divide (multiply a 2) 3) (subtract 4 5)))'],
    ['startsWith(a, "x") == true', '(== (startsWith a "x") true)'],
  ])('%s', (source, expected) => {
    expect(cond(source)).toBe(expected);
  });

  it('writes infix arithmetic as the equivalent function calls, with the usual precedence', () => {
    expect(cond('a + b * c - d == 1')).toBe('(== (subtract (add a (multiply b c)) d) 1)');
    expect(cond('a / b % c > 2')).toBe('(> (modulo (divide a b) c) 2)');
    expect(cond('-a == 1')).toBe('(== (multiply a -1) 1)');
    expect(cond('+a == 1')).toBe('(== a 1)');
  });
});

describe('literals', () => {
  it.each([
    ['0', 0],
    ['42', 42],
    ['-42', -42],
    ['1.5', 1.5],
    ['1.', 1],
    ['.5', 0.5],
    ['1e3', 1000],
    ['1.5E-2', 0.015],
    ['.5e1', 5],
    ['-2.5e+2', -250],
    ['true', true],
    ['false', false],
    ['null', null],
  ])('%s', (source, value) => {
    const e = parseQuery(`any where a == ${source}`).condition;
    expect(e.kind === 'compare' && e.right.kind === 'literal' ? e.right.value : 'not a literal').toBe(value);
  });

  it.each([
    [String.raw`"a\\b"`, 'a\\b'],
    [String.raw`"say \"hi\""`, 'say "hi"'],
    [String.raw`"it\'s"`, "it's"],
    [String.raw`"\n\r\t\b\f"`, '\n\r\t\b\f'],
    [String.raw`"\u{41}\u{00e9}\u{1F600}\u{0000000A}"`, 'Aé😀\n'],
    [String.raw`"C:\\Windows\\*"`, 'C:\\Windows\\*'],
    ['""', ''],
    ['"unicode ü 日本"', 'unicode ü 日本'],
  ])('string %s', (source, value) => {
    const e = parseQuery(`any where a == ${source}`).condition;
    expect(e.kind === 'compare' && e.right.kind === 'literal' ? e.right.value : undefined).toBe(value);
  });

  it.each([
    ['"""C:\\Windows\\*"""', 'C:\\Windows\\*'],
    ['"""no \\n escapes"""', 'no \\n escapes'],
    ['"""say "hi" """', 'say "hi" '],
    ['""""quoted""""', '"quoted"'],
    ['""""""', ''],
    ['""""""""', '""'],
  ])('raw string %s', (source, value) => {
    const e = parseQuery(`any where a == ${source}`).condition;
    const right = e.kind === 'compare' ? e.right : undefined;
    expect(right).toMatchObject({ kind: 'literal', value, raw: true });
  });
});

describe('field names', () => {
  it.each([
    ['process.name', 'process.name', false],
    ['@timestamp', '@timestamp', false],
    ['_id', '_id', false],
    ['?user.domain', 'user.domain', true],
    ['? user.domain', 'user.domain', true],
    ['`my field`.x', 'my field.x', false],
    ['a.`b-c`.`6d`', 'a.b-c.6d', false],
    ['`with``tick`', 'with`tick', false],
    ['?`odd name`', 'odd name', true],
    ['winlog.event_data.TargetFilename', 'winlog.event_data.TargetFilename', false],
    ['`by`', 'by', false],
  ])('%s', (source, name, optional) => {
    const e = parseQuery(`any where ${source} == 1`).condition;
    expect(e.kind === 'compare' ? e.left : undefined).toMatchObject({ kind: 'field', name, optional });
  });

  it('spans a dotted name from its first to its last segment', () => {
    const q = parseQuery('any where  ?a.`b c`.d == 1');
    const left = q.condition.kind === 'compare' ? q.condition.left : q.condition;
    expect(left.span).toEqual({ start: 11, end: 21, line: 1, column: 12 });
  });
});

describe('comments and layout', () => {
  it('skips line and nested block comments and any whitespace', () => {
    const q = parseQuery('process /* a /* nested */ comment */ where // why\n\ta == 1\r\n  and b');
    expect(queryShape(q)).toBe('process where (and (== a 1) b)');
    const b = q.condition.kind === 'and' ? q.condition.operands[1]! : q.condition;
    expect(b.span).toMatchObject({ line: 3, column: 7 });
  });
});
