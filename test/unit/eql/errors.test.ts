import { describe, expect, it } from 'vitest';
import { EqlSyntaxError } from '../../../src/eql/errors.js';
import { MAX_NESTING_DEPTH, MAX_QUERY_LENGTH, parseQuery } from '../../../src/eql/parser.js';

function errorOf(source: string): EqlSyntaxError {
  try {
    parseQuery(source);
  } catch (e) {
    if (e instanceof EqlSyntaxError) return e;
    throw e;
  }
  throw new Error(`parsed without error: ${source}`);
}

describe('formatted errors', () => {
  it('points at a missing value after :', () => {
    const e = errorOf('process where process.name : and true');
    expect(e.format()).toBe(
      "1:30: expected a value after ':' but found 'and'\n" +
        'process where process.name : and true\n' +
        '                             ^',
    );
    expect([e.line, e.column, e.offset]).toEqual([1, 30, 29]);
    expect(e.expected).toEqual(['constant']);
  });

  it('points into the right line of a multi-line query, keeping tabs for the caret', () => {
    const e = errorOf('file where\n\tevent.type == "creation" and\n\tfile.name == ');
    expect(e.format()).toBe(
      "3:15: expected a value after '==' but found the end of the query\n" + '\tfile.name == \n' + '\t             ^',
    );
  });

  it('explains single quotes', () => {
    expect(errorOf("process where name == 'cmd.exe'").format()).toBe(
      `1:23: use double quotes (") for strings, not single quotes (')\n` +
        "process where name == 'cmd.exe'\n" +
        '                      ^',
    );
  });

  it('explains an invalid escape at the backslash', () => {
    expect(errorOf('file where file.path : "C:\\Windows\\*"').format()).toBe(
      `1:27: invalid escape sequence '\\W': valid escapes are \\\\ \\" \\' \\n \\r \\t \\b \\f \\u{hex}; ` +
        `write a backslash as \\\\ or use a raw string """…"""\n` +
        'file where file.path : "C:\\Windows\\*"\n' +
        '                          ^',
    );
  });

  it('names an unknown function at its name', () => {
    expect(errorOf('process where x and startswit(process.name, "a")').format()).toBe(
      "1:21: unknown function 'startswit': the functions are add, between, cidrMatch, concat, divide, endsWith, " +
        'indexOf, length, modulo, multiply, number, startsWith, string, stringContains, substring, subtract\n' +
        'process where x and startswit(process.name, "a")\n' +
        '                    ^',
    );
  });
});

describe('error messages and positions', () => {
  it.each([
    // [source, line, column, message]
    ['', 1, 1, "expected an event category (a name such as 'process', a quoted string or 'any') but found the end of the query"],
    ['process', 1, 8, "expected 'where' after the event category but found the end of the query"],
    ['process where', 1, 14, 'expected a value but found the end of the query'],
    ['process wher x', 1, 9, "expected 'where' after the event category but found 'wher'"],
    ['process where a b', 1, 17, "unexpected 'b': expected 'and', 'or', end of query"],
    ['process where a = 1', 1, 17, "unexpected '=': use '==' to compare"],
    ['process where a == 1 == 2', 1, 22, "comparisons cannot be chained: combine them with 'and'"],
    ['process where (a or b', 1, 22, "expected ')' to close the '(' at 1:15 but found the end of the query"],
    ['process where a in ()', 1, 21, "expected a value in the list after 'in' but found ')'"],
    ['process where a in "x"', 1, 20, "expected '(' after 'in' but found string \"x\""],
    ['process where a in ("x" "y")', 1, 25, "expected ',' or ')' in the list after 'in' but found string \"y\""],
    ['process where a : b', 1, 19, "expected a value after ':' but found 'b' (patterns must be constants, not fields)"],
    ['process where a like 5', 1, 22, "expected a string pattern after 'like' but found number 5"],
    ['process where a : ()', 1, 20, "expected a value in the list after ':' but found ')'"],
    ['process where a not like "x"', 1, 17, "'not' cannot stand before 'like': write 'not <field> like …'"],
    ['process where length~(a)', 1, 15, "function 'length' has no case-insensitive variant: '~' is accepted by between, endsWith, indexOf, startsWith, stringContains"],
    ['process where startsWith(a)', 1, 15, "'startsWith' expects exactly 2 arguments but got 1"],
    ['process where startsWith(a, "b", "c")', 1, 34, "'startsWith' expects exactly 2 arguments but got 3"],
    ['process where between(a, "b")', 1, 15, "'between' expects 3 to 4 arguments but got 2"],
    ['process where cidrMatch(a)', 1, 15, "'cidrMatch' expects at least 2 arguments but got 1"],
    ['process where concat()', 1, 15, "'concat' expects at least 1 argument but got 0"],
    ['process where startsWith~ a', 1, 27, "expected '(' after the function name 'startsWith~' but found 'a'"],
    ['process where f(a b)', 1, 19, "expected ',' or ')' in the arguments of 'f' but found 'b'"],
    ['process where a.by == 1', 1, 17, "expected a field name but found 'by' ('by' is a reserved word: write `by` to use it in a field name)"],
    ['process where by == 1', 1, 15, "expected a value but found 'by' ('by' is a reserved word: write `by` to use it as a field name)"],
    ['process where a[0] == 1', 1, 16, 'array indexes (field[0]) are not supported'],
    ['process where ? == 1', 1, 17, "expected a field name after '?' but found '=='"],
    ['process where a == ?"x"', 1, 20, 'use triple double quotes ("""…""") for unescaped strings, not ?"'],
    ['process where a ! b', 1, 17, "unexpected character '!': use 'not' for negation or '!=' for inequality"],
    ['process where a ~ b', 1, 17, "unexpected character '~': it belongs directly after a function name or in, like, regex (e.g. startsWith~, in~)"],
    ['process where a == #', 1, 20, "unexpected character '#'"],
    ['process where a == "x', 1, 20, 'unterminated string: missing closing " on the same line'],
    ['process where a == "x\ny"', 1, 20, 'unterminated string: missing closing " on the same line'],
    ['process where a == """x', 1, 20, 'unterminated raw string: missing closing """ on the same line'],
    ['process where `a == 1', 1, 15, 'unterminated backquoted name: missing closing `'],
    ['process where a == 1 /* x', 1, 22, 'unterminated comment: missing */'],
    ['process where a == "\\u{41"', 1, 21, 'invalid unicode escape: expected \\u{hex digits}'],
    ['process where a == "\\u41"', 1, 21, 'invalid unicode escape: expected \\u{hex digits}'],
    ['process where a == "\\u{4}"', 1, 21, 'unicode escape \\u{4} should use 2 to 8 hex digits, not 1'],
    ['process where a == "\\u{D800}"', 1, 21, 'invalid unicode escape \\u{D800}: a surrogate code'],
    ['process where a == "\\u{110000}"', 1, 21, 'invalid unicode escape \\u{110000}: beyond U+10FFFF'],
    ['process where a == 1 | head 5', 1, 22, 'pipes (| head, | tail, | filter, …) are not supported yet'],
    ['sequence by host.id [process where true] [file where true]', 1, 1, 'sequence queries are not supported yet: only single-event queries (<category> where <condition>)'],
    ['sample by host.id [process where true]', 1, 1, 'sample queries are not supported yet: only single-event queries (<category> where <condition>)'],
    ['join [process where true] [file where true]', 1, 1, 'join queries are not supported yet: only single-event queries (<category> where <condition>)'],
    ['process where descendant of [process where true]', 1, 15, "process relationships ('descendant of [...]') are not supported"],
    ['process where a AND b', 1, 17, "unexpected 'AND': expected 'and', 'or', end of query (keywords are lower-case: 'and')"],
    ['process where a + ', 1, 19, "expected a value after '+' but found the end of the query"],
  ])('%s', (source, line, column, message) => {
    const e = errorOf(source);
    expect({ line: e.line, column: e.column, message: e.message }).toEqual({ line, column, message });
  });
});

describe('hostile input', () => {
  it('bounds nesting depth instead of overflowing the stack', () => {
    for (const source of [
      `any where ${'('.repeat(60_000)}a${')'.repeat(60_000)}`,
      `any where ${'not '.repeat(20_000)}a`,
      `any where a == ${'-'.repeat(60_000)}1`,
      `any where ${'length('.repeat(20_000)}a${')'.repeat(20_000)}`,
      `any where a in (${'a in ('.repeat(20_000)}`,
    ]) {
      const e = errorOf(source);
      expect(e.message).toBe(`query nests too deeply: more than ${MAX_NESTING_DEPTH} levels`);
    }
  });

  it('accepts nesting up to the limit', () => {
    const depth = MAX_NESTING_DEPTH - 1;
    const q = parseQuery(`any where ${'('.repeat(depth)}a == 1${')'.repeat(depth)}`);
    expect(q.condition.kind).toBe('compare');
  });

  it('bounds the query length', () => {
    const e = errorOf(`any where a == "${'x'.repeat(MAX_QUERY_LENGTH)}"`);
    expect(e.message).toMatch(/^query too long: \d+ characters, the limit is 262144$/);
  });

  it('parses long flat lists and long and-chains iteratively', () => {
    const values = Array.from({ length: 20_000 }, (_, i) => `"v${i}"`).join(', ');
    const q = parseQuery(`any where a in (${values})`);
    expect(q.condition.kind === 'in' && q.condition.values.length).toBe(20_000);
    const chain = Array.from({ length: 5_000 }, (_, i) => `f${i} == ${i}`).join(' and ');
    const c = parseQuery(`any where ${chain}`).condition;
    expect(c.kind === 'and' && c.operands.length).toBe(5_000);
  });
});
