// Tokeniser for Elasticsearch EQL, following the lexer rules of Elasticsearch's
// EqlBase.g4: case-sensitive keywords, `@` allowed only as the first identifier
// character, backquoted identifiers with `` as the escape, `name~` function
// identifiers, double-quoted strings with a fixed escape set, single-line raw
// strings `"""…"""`, `//` and nested `/* */` comments.

import type { Span } from './ast.js';
import { EqlSyntaxError } from './errors.js';

export const KEYWORDS = new Set([
  'and', 'any', 'by', 'false', 'in', 'join', 'like', 'maxspan', 'not', 'null', 'of', 'or',
  'regex', 'sample', 'sequence', 'true', 'until', 'where', 'with',
]);

/** Keywords that also exist with a `~` suffix as one token (`in~`, `like~`, `regex~`). */
const TILDE_KEYWORDS = new Set(['in', 'like', 'regex']);

export type TokenType =
  | 'ident' // IDENTIFIER
  | 'quotedIdent' // `…`
  | 'tildeIdent' // startsWith~
  | 'keyword' // and, or, in~, like~, …
  | 'string'
  | 'number'
  | 'op' // == != < <= > >= = : + - * / % . , [ ] ( ) | ?
  | 'eof';

export interface Token {
  readonly type: TokenType;
  /** Keyword, operator or identifier text (backquotes removed, `~` kept); for strings the decoded value. */
  readonly text: string;
  readonly numberValue?: number;
  /** For strings: written as `"""…"""`. */
  readonly raw?: boolean;
  readonly span: Span;
}

const OPERATORS_2 = new Set(['==', '!=', '<=', '>=']);
const OPERATORS_1 = new Set(['=', '<', '>', ':', '+', '-', '*', '/', '%', '.', ',', '[', ']', '(', ')', '|', '?']);

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isLetter = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const isIdentPart = (c: string | undefined): boolean => isLetter(c) || isDigit(c) || c === '_';
const isHex = (c: string | undefined): boolean =>
  c !== undefined && (isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));

const ESCAPES: Record<string, string> = {
  t: '\t', b: '\b', f: '\f', n: '\n', r: '\r', '"': '"', "'": "'", '\\': '\\',
};

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let line = 1;
  let lineStart = 0;

  const fail = (message: string, at: number, expected: readonly string[] = []): never => {
    throw new EqlSyntaxError(message, source, at, expected);
  };
  // Advances over source[from, to) keeping the line count (comments and whitespace may span lines).
  const advanceTo = (to: number): void => {
    for (let i = pos; i < to; i++) {
      const c = source.charCodeAt(i);
      if (c === 10 || (c === 13 && source.charCodeAt(i + 1) !== 10)) {
        line++;
        lineStart = i + 1;
      }
    }
    pos = to;
  };
  // Tokens start on the line current when they begin; only backquoted names may span lines.
  let startLine = 1;
  let startColumn = 1;
  const spanFrom = (start: number): Span => ({ start, end: pos, line: startLine, column: startColumn });
  const push = (type: TokenType, text: string, start: number, extra?: { numberValue?: number; raw?: boolean }): void => {
    tokens.push({ type, text, span: spanFrom(start), ...extra });
  };

  while (pos < source.length) {
    const start = pos;
    startLine = line;
    startColumn = pos - lineStart + 1;
    const c = source[pos]!;
    const next = source[pos + 1];

    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      advanceTo(pos + 1);
      continue;
    }
    if (c === '/' && next === '/') {
      let end = pos + 2;
      while (end < source.length && source[end] !== '\n' && source[end] !== '\r') end++;
      advanceTo(end);
      continue;
    }
    if (c === '/' && next === '*') {
      advanceTo(skipBlockComment(source, pos, fail));
      continue;
    }
    if (isLetter(c) || c === '_' || c === '@') {
      let end = pos + 1;
      while (isIdentPart(source[end])) end++;
      const word = source.slice(pos, end);
      if (source[end] === '~' && isLetter(c)) {
        pos = end + 1;
        push(TILDE_KEYWORDS.has(word) ? 'keyword' : 'tildeIdent', word + '~', start);
      } else {
        pos = end;
        push(KEYWORDS.has(word) ? 'keyword' : 'ident', word, start);
      }
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(next))) {
      const end = scanNumber(source, pos);
      const text = source.slice(pos, end);
      pos = end;
      push('number', text, start, { numberValue: Number(text) });
      continue;
    }
    if (c === '`') {
      let end = pos + 1;
      let name = '';
      for (;;) {
        const i = source.indexOf('`', end);
        if (i < 0) fail('unterminated backquoted name: missing closing `', start);
        name += source.slice(end, i);
        if (source[i + 1] === '`') {
          name += '`';
          end = i + 2;
        } else {
          end = i + 1;
          break;
        }
      }
      advanceTo(end);
      push('quotedIdent', name, start);
      continue;
    }
    if (c === '"') {
      if (source.startsWith('"""', pos)) {
        const { end, value } = scanRawString(source, pos, fail);
        pos = end;
        push('string', value, start, { raw: true });
      } else {
        const { end, value } = scanString(source, pos, fail);
        pos = end;
        push('string', value, start);
      }
      continue;
    }
    if (c === "'") {
      fail(`use double quotes (") for strings, not single quotes (')`, start);
    }
    if (c === '?' && (next === '"' || next === "'")) {
      fail(`use triple double quotes ("""…""") for unescaped strings, not ?${next}`, start);
    }
    const two = source.slice(pos, pos + 2);
    if (OPERATORS_2.has(two)) {
      pos += 2;
      push('op', two, start);
      continue;
    }
    if (OPERATORS_1.has(c)) {
      pos += 1;
      push('op', c, start);
      continue;
    }
    if (c === '!') fail(`unexpected character '!': use 'not' for negation or '!=' for inequality`, start);
    if (c === '~') fail(`unexpected character '~': it belongs directly after a function name or in, like, regex (e.g. startsWith~, in~)`, start);
    fail(`unexpected character ${describeChar(c)}`, start);
  }
  tokens.push({ type: 'eof', text: '', span: { start: pos, end: pos, line, column: pos - lineStart + 1 } });
  return tokens;
}

function describeChar(c: string): string {
  const code = c.codePointAt(0)!;
  return code < 0x20 || code === 0x7f || code > 0x7e ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `'${c}'`;
}

/** DIGIT+ ('.' DIGIT*)? EXPONENT? | '.' DIGIT+ EXPONENT? — longest match, as ANTLR does. */
function scanNumber(source: string, pos: number): number {
  let end = pos;
  while (isDigit(source[end])) end++;
  if (source[end] === '.') {
    end++;
    while (isDigit(source[end])) end++;
  }
  if (source[end] === 'e' || source[end] === 'E') {
    let exp = end + 1;
    if (source[exp] === '+' || source[exp] === '-') exp++;
    if (isDigit(source[exp])) {
      while (isDigit(source[exp])) exp++;
      end = exp;
    }
  }
  return end;
}

type Fail = (message: string, at: number, expected?: readonly string[]) => never;

function skipBlockComment(source: string, pos: number, fail: Fail): number {
  // Block comments nest, as in the EQL grammar.
  let depth = 0;
  let i = pos;
  while (i < source.length) {
    if (source[i] === '/' && source[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (source[i] === '*' && source[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return fail('unterminated comment: missing */', pos);
}

/** `"""…"""`: no escapes, no line breaks; up to two extra quotes before the end belong to the value. */
function scanRawString(source: string, pos: number, fail: Fail): { end: number; value: string } {
  const bodyStart = pos + 3;
  let i = bodyStart;
  while (i < source.length) {
    const c = source[i];
    if (c === '\n' || c === '\r') break;
    if (source.startsWith('"""', i)) {
      let end = i + 3;
      if (source[end] === '"') end++;
      if (source[end] === '"') end++;
      return { end, value: source.slice(bodyStart, end - 3) };
    }
    i++;
  }
  return fail('unterminated raw string: missing closing """ on the same line', pos);
}

function scanString(source: string, pos: number, fail: Fail): { end: number; value: string } {
  let value = '';
  let i = pos + 1;
  let chunkStart = i;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '"') {
      return { end: i + 1, value: value + source.slice(chunkStart, i) };
    }
    if (c === '\n' || c === '\r') break;
    if (c !== '\\') {
      i++;
      continue;
    }
    value += source.slice(chunkStart, i);
    const e = source[i + 1];
    if (e !== undefined && e in ESCAPES) {
      value += ESCAPES[e];
      i += 2;
    } else if (e === 'u') {
      const { end, char } = scanUnicodeEscape(source, i, fail);
      value += char;
      i = end;
    } else {
      const shown = e === undefined || e === '\n' || e === '\r' ? '\\' : `\\${e}`;
      fail(
        `invalid escape sequence '${shown}': valid escapes are \\\\ \\" \\' \\n \\r \\t \\b \\f \\u{hex}; ` +
          `write a backslash as \\\\ or use a raw string """…"""`,
        i,
      );
    }
    chunkStart = i;
  }
  return fail('unterminated string: missing closing " on the same line', pos);
}

/** `\u{H…}` with 2 to 8 hex digits naming a Unicode scalar value (no surrogates). */
function scanUnicodeEscape(source: string, at: number, fail: Fail): { end: number; char: string } {
  if (source[at + 2] !== '{') fail(`invalid unicode escape: expected \\u{hex digits}`, at);
  let i = at + 3;
  while (isHex(source[i])) i++;
  if (source[i] !== '}' || i === at + 3) fail(`invalid unicode escape: expected \\u{hex digits}`, at);
  const hex = source.slice(at + 3, i);
  if (hex.length < 2 || hex.length > 8) {
    fail(`unicode escape \\u{${hex}} should use 2 to 8 hex digits, not ${hex.length}`, at);
  }
  const code = parseInt(hex, 16);
  if (code >= 0xd800 && code <= 0xdfff) fail(`invalid unicode escape \\u{${hex}}: a surrogate code`, at);
  if (code > 0x10ffff) fail(`invalid unicode escape \\u{${hex}}: beyond U+10FFFF`, at);
  return { end: i + 1, char: String.fromCodePoint(code) };
}
