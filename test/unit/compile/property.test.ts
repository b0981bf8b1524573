// The compiled matcher against the reference interpreter, and the prefilter's
// soundness, on random events (nested, dotted and mixed layouts, arrays,
// missing fields, long values, case variants) and random queries.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../../src/compile/compiler.js';
import { ReferenceInterpreter } from '../../../src/compile/reference.js';
import { parseQuery } from '../../../src/eql/parser.js';
import { printString } from '../../../src/eql/print.js';

const IGNORE_ABOVE = 6; // small, so random values cross it often
const FIELDS = ['a', 'a.b', 'a.b.c', 'x.y', 'event.category'];
const CHARS = ['a', 'A', 'b', 'B', 'k', 'K', '\u212a', 's', 'S', '\u017f', '\\', '/', '.', ' ', '1', '0', 'é', 'É', '\u{1F600}', '"', '\n'];

const text = (min: number, max: number) => fc.array(fc.constantFrom(...CHARS), { minLength: min, maxLength: max }).map((cs) => cs.join(''));
const pattern = fc.array(fc.constantFrom(...CHARS, '*', '?', '*'), { minLength: 0, maxLength: 6 }).map((cs) => cs.join(''));
const scalar: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: text(0, 8) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 5, -1, 1.5, 10) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom('1', '5.0', 'true', 'file', 'process') },
);
const value = fc.oneof({ weight: 4, arbitrary: scalar }, { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) }, { weight: 1, arbitrary: fc.constant({}) });

/** Inserts a value at a path written as the given keys, merging with what is there (objects merge, clashes become arrays). */
function insert(doc: Record<string, unknown>, keys: string[], v: unknown): void {
  let node: Record<string, unknown> = doc;
  for (let i = 0; i < keys.length - 1; i++) {
    const k = keys[i]!;
    const cur = node[k];
    if (cur === undefined) node = node[k] = {} as Record<string, unknown>;
    else if (Array.isArray(cur)) {
      const next = {};
      cur.push(next);
      node = next;
    } else if (typeof cur === 'object' && cur !== null) node = cur as Record<string, unknown>;
    else {
      const next = {};
      node[k] = [cur, next];
      node = next;
    }
  }
  const last = keys.at(-1)!;
  node[last] = node[last] === undefined ? v : [node[last], v];
}

/** Splits a dotted path into keys: bit i of `mask` set means "keep the dot after part i inside the key". */
function keysOf(field: string, mask: number): string[] {
  const parts = field.split('.');
  const keys = [parts[0]!];
  for (let i = 1; i < parts.length; i++) {
    if (mask & (1 << (i - 1))) keys[keys.length - 1] += `.${parts[i]}`;
    else keys.push(parts[i]!);
  }
  return keys;
}

const event = fc
  .array(fc.record({ field: fc.constantFrom(...FIELDS), mask: fc.nat(3), value }), { maxLength: 6 })
  .map((entries) => {
    const doc: Record<string, unknown> = {};
    for (const e of entries) insert(doc, keysOf(e.field, e.mask), structuredClone(e.value));
    return doc;
  });

const field = fc.constantFrom(...FIELDS);
const lit = fc.oneof(text(0, 7).map(printString), fc.constantFrom('1', '5', '1.5', 'true', 'false', 'null', '-1'));
const str = text(0, 4).map(printString);
const pat = pattern.map(printString);
const list = (a: fc.Arbitrary<string>) => fc.array(a, { minLength: 1, maxLength: 3 }).map((xs) => (xs.length === 1 ? xs[0]! : `(${xs.join(', ')})`));

const leaf: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(field, fc.constantFrom('==', '!=', '<', '<=', '>', '>='), lit).map(([f, op, l]) => `${f} ${op} ${l}`),
  fc.tuple(lit, fc.constantFrom('==', '<'), field).map(([l, op, f]) => `${l} ${op} ${f}`),
  fc.tuple(field, fc.constantFrom(':', 'like', 'like~'), list(pat)).map(([f, op, p]) => `${f} ${op} ${p}`),
  fc.tuple(field, fc.constantFrom('in', 'in~', 'not in', 'not in~'), fc.array(lit, { minLength: 1, maxLength: 3 })).map(
    ([f, op, ls]) => `${f} ${op} (${ls.join(', ')})`,
  ),
  fc.tuple(fc.constantFrom('startsWith', 'endsWith', 'stringContains', 'startsWith~', 'endsWith~', 'stringContains~'), field, str).map(
    ([fn, f, s]) => `${fn}(${f}, ${s})`,
  ),
  fc.tuple(field, fc.nat(8)).map(([f, n]) => `length(${f}) > ${n}`),
  fc.tuple(field, str, pat).map(([f, s, p]) => `concat(${f}, ${s}) : ${p}`),
  fc.tuple(field, field).map(([f, g]) => `${f} == ${g}`),
  fc.tuple(fc.constantFrom('startsWith', 'endsWith~'), field, field).map(([fn, f, g]) => `${fn}(${f}, ${g})`),
  fc.tuple(field, fc.constantFrom('regex', 'regex~'), fc.constantFrom('"a.*"', '"[ab]+"', '"k?s*"', '"(a|b)\\\\.*"', '".{2,3}"')).map(
    ([f, op, r]) => `${f} ${op} ${r}`,
  ),
);

const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('e'), fc.constantFrom('and', 'or'), tie('e')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    tie('e').map((a) => `not (${a})`),
  ),
})).e;

const query = fc.tuple(fc.constantFrom('any', 'file', 'process'), expr).map(([cat, e]) => `${cat} where ${e}`);

/** JSON texts of the same event as different producers would write them. */
function encodings(doc: Record<string, unknown>): string[] {
  const reversed = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(reversed) : typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v;
  const plain = JSON.stringify(doc);
  return [
    plain,
    JSON.stringify(doc, null, 2),
    JSON.stringify(reversed(doc)),
    plain.replace(/\//g, '\\/'),
    plain.replace(/[^\x20-\x7e]/gu, (c) => [...c].map((u) => `\\u${u.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')),
    plain.replace(/[aAkK_]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`),
  ];
}

describe('compiled matcher vs reference interpreter', () => {
  it('agree on random events and random queries', () => {
    fc.assert(
      fc.property(query, fc.array(event, { minLength: 1, maxLength: 8 }), (source, docs) => {
        const q = parseQuery(source);
        const compiled = compileQuery(q, { ignoreAbove: IGNORE_ABOVE });
        const reference = new ReferenceInterpreter(q, IGNORE_ABOVE);
        for (const doc of docs) expect(compiled.matches(doc), `${source}\n${JSON.stringify(doc)}`).toBe(reference.matches(doc));
      }),
      { numRuns: 3000 },
    );
  });

  it('find matches often enough for the comparison to mean something', () => {
    let matched = 0;
    fc.assert(
      fc.property(query, event, (source, doc) => {
        if (compileQuery(parseQuery(source), { ignoreAbove: IGNORE_ABOVE }).matches(doc)) matched++;
      }),
      { numRuns: 1000 },
    );
    expect(matched).toBeGreaterThan(50);
  });
});

describe('prefilter soundness', () => {
  it('never rejects the bytes of a matching event, however the JSON is written', () => {
    let checked = 0;
    fc.assert(
      fc.property(query, fc.array(event, { minLength: 1, maxLength: 8 }), (source, docs) => {
        const compiled = compileQuery(parseQuery(source), { ignoreAbove: IGNORE_ABOVE });
        for (const doc of docs) {
          if (!compiled.matches(doc)) continue;
          checked++;
          for (const json of encodings(doc)) {
            expect(compiled.prefilter.mayMatch(Buffer.from(json, 'utf8')), `${source}\n${json}\n${compiled.prefilter.literals}`).toBe(true);
          }
        }
      }),
      { numRuns: 3000 },
    );
    expect(checked).toBeGreaterThan(200);
  });

  it('rejects something: random queries with literals reject unrelated events', () => {
    const q = compileQuery(parseQuery('any where a.b : "*kab*" or x.y == "BBa"'));
    expect(q.prefilter.literals).toEqual(['bba', 'kab']);
    expect(q.prefilter.mayMatch(Buffer.from(JSON.stringify({ a: { b: 'xxKABxx' } })))).toBe(true);
    expect(q.prefilter.mayMatch(Buffer.from(JSON.stringify({ a: { b: 'xxKAxBxx' } })))).toBe(false);
  });
});
