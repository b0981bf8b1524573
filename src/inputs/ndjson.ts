// NDJSON streams (files, stdin) → one record per line, as raw bytes, so `scan`
// and the demo feed lines to the same path as Kafka record values. Memory is
// bounded: a line longer than the limit is not kept, only its length.

/** One non-blank line. `value` is null when the line exceeded the limit (then only `bytes` is known). */
export interface NdjsonLine {
  /** 1-based line number in the stream. */
  readonly line: number;
  readonly value: Buffer | null;
  readonly bytes: number;
}

const NEWLINE = 0x0a;
const CR = 0x0d;

/** Splits a byte stream at `\n` (a trailing `\r` is dropped); blank lines are counted but not yielded. */
export async function* ndjsonLines(input: AsyncIterable<Buffer | string>, maxLineBytes: number): AsyncGenerator<NdjsonLine> {
  let parts: Buffer[] = [];
  let held = 0; // bytes kept in `parts`
  let length = 0; // bytes of the current line, kept or not
  let lastByte = -1;
  let line = 1;

  function* finish(): Generator<NdjsonLine> {
    const number = line++;
    const bytes = lastByte === CR ? length - 1 : length;
    const value = bytes > maxLineBytes ? null : Buffer.concat(parts, held).subarray(0, bytes);
    parts = [];
    held = 0;
    length = 0;
    lastByte = -1;
    if (bytes > 0 && (value === null || !isBlank(value))) yield { line: number, value, bytes };
  }

  function keep(piece: Buffer): void {
    if (piece.length === 0) return;
    length += piece.length;
    lastByte = piece[piece.length - 1] as number;
    // Past the limit (plus one byte for a trailing \r) the line is dropped; only its length is counted.
    if (length > maxLineBytes + 1) {
      parts = [];
      held = 0;
      return;
    }
    parts.push(piece);
    held += piece.length;
  }

  for await (const chunk of input) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE, start); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
      keep(buf.subarray(start, nl));
      yield* finish();
      start = nl + 1;
    }
    keep(buf.subarray(start));
  }
  if (length > 0) yield* finish();
}

function isBlank(value: Buffer): boolean {
  for (const b of value) if (b !== 0x20 && b !== 0x09 && b !== CR) return false;
  return true;
}
