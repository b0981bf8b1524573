import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ndjsonLines, type NdjsonLine } from '../../../src/inputs/ndjson.js';

async function lines(chunks: readonly (string | Buffer)[], max = 1024): Promise<{ line: number; text: string | null; bytes: number }[]> {
  const out: NdjsonLine[] = [];
  for await (const l of ndjsonLines((async function* () { yield* chunks; })(), max)) out.push(l);
  return out.map((l) => ({ line: l.line, text: l.value?.toString() ?? null, bytes: l.bytes }));
}

describe('ndjsonLines', () => {
  it('yields non-blank lines with their 1-based numbers, dropping a trailing \\r', async () => {
    expect(await lines(['{"a":1}\r\n\n  \r\n{"b":2}\n{"c"', ':3}'])).toEqual([
      { line: 1, text: '{"a":1}', bytes: 7 },
      { line: 4, text: '{"b":2}', bytes: 7 },
      { line: 5, text: '{"c":3}', bytes: 7 },
    ]);
  });

  it('reports a line over the limit by length only, and goes on with the next', async () => {
    const long = 'x'.repeat(5000);
    expect(await lines([`${long.slice(0, 3000)}`, `${long.slice(3000)}\n{"ok":1}\n`], 100)).toEqual([
      { line: 1, text: null, bytes: 5000 },
      { line: 2, text: '{"ok":1}', bytes: 8 },
    ]);
  });

  it('takes a line of exactly the limit, with or without \\r, and refuses one byte more', async () => {
    expect(await lines(['abcd\r\nabcd\nabcde\r\n'], 4)).toEqual([
      { line: 1, text: 'abcd', bytes: 4 },
      { line: 2, text: 'abcd', bytes: 4 },
      { line: 3, text: null, bytes: 5 },
    ]);
  });

  it('gives the same lines however the stream is cut into chunks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: fc.constantFrom('a', 'é', ' ', '\r', '\n', '{', '}'), maxLength: 30 }), { maxLength: 8 }),
        fc.array(fc.nat(60), { maxLength: 6 }),
        fc.integer({ min: 1, max: 12 }),
        async (parts, cuts, max) => {
          const whole = Buffer.from(parts.join('\n'));
          const at = [...new Set(cuts.map((c) => Math.min(c, whole.length)))].sort((a, b) => a - b);
          const chunks = [0, ...at].map((from, i) => whole.subarray(from, at[i] ?? whole.length));
          expect(await lines(chunks, max)).toEqual(await lines([whole], max));
        },
      ),
    );
  });
});
