// Syntax errors with a precise position, and a rendering that shows the spot.

export class EqlSyntaxError extends Error {
  override readonly name = 'EqlSyntaxError';
  /** 1-based line and column of the offending spot. */
  readonly line: number;
  readonly column: number;
  /** 0-based character offset of the offending spot. */
  readonly offset: number;
  /** What would have been accepted here (may be empty when not meaningful). */
  readonly expected: readonly string[];
  /** The whole query text. */
  readonly source: string;
  /** Kind of error, for tools that report it (lint): 'syntax' unless more specific. */
  readonly code: string;

  constructor(message: string, source: string, offset: number, expected: readonly string[] = [], code = 'syntax') {
    super(message);
    this.code = code;
    const { line, column } = positionOf(source, offset);
    this.source = source;
    this.offset = offset;
    this.line = line;
    this.column = column;
    this.expected = expected;
  }

  /** `line:col: message`, the source line, and a caret under the spot. */
  format(): string {
    const lineText = lineAt(this.source, this.line);
    // Keep tabs so the caret lines up with the source line however tabs render.
    const pad = lineText.slice(0, this.column - 1).replace(/[^\t]/g, ' ');
    return `${this.line}:${this.column}: ${this.message}\n${lineText}\n${pad}^`;
  }
}

/** 1-based line and column of a 0-based offset (a CR LF pair counts as one line break). */
export function positionOf(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, source.length);
  for (let i = 0; i < end; i++) {
    const c = source.charCodeAt(i);
    if (c === 10 /* \n */ || (c === 13 /* \r */ && source.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function lineAt(source: string, line: number): string {
  return source.split(/\r\n|\r|\n/)[line - 1] ?? '';
}
