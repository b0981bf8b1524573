// Documents nested deeper than MAX_NESTING_DEPTH are refused at decoding (reason too_deep);
// anything up to it goes the whole way, to an alert, without overflowing the stack.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAlert } from '../../../src/alerts/alert.js';
import { FramedDecoder, parseJsonObject, type RegistryClient } from '../../../src/inputs/decode.js';
import { jsonNestingExceeds, MAX_NESTING_DEPTH, valueNestingExceeds } from '../../../src/inputs/depth.js';
import { derivedFields } from '../../../src/inputs/normalise.js';
import { alertView, evaluateRecord, ruleSet } from '../../../src/pipeline/evaluate.js';
import { loadRules } from '../../../src/rules/loader.js';

const hit = JSON.parse(readFileSync(new URL('../../../sample-data/attacks/ecs.ndjson', import.meta.url), 'utf8').split('\n')[0]!) as Record<string, unknown>;
const nested = (depth: number, open: string, close: string) => `${open.repeat(depth)}1${close.repeat(depth)}`;
/** The matching event with an extra field nested so that the document is `depth` levels deep. */
const deepHit = (depth: number, open = '[', close = ']') => Buffer.from(`${JSON.stringify(hit).slice(0, -1)},"deep":${nested(depth - 1, open, close)}}`);

describe('nesting depth', () => {
  it('counts brackets outside strings only, and agrees with the decoded value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 12 }), fc.integer({ min: 1, max: 14 }), (value, limit) => {
        const text = Buffer.from(JSON.stringify({ v: value, s: '[[[[{{{{' }));
        expect(jsonNestingExceeds(text, limit)).toBe(valueNestingExceeds(JSON.parse(text.toString()), limit));
      }),
    );
  });

  it(`takes a matching event ${MAX_NESTING_DEPTH} levels deep all the way to its alert, and refuses one level more`, async () => {
    const [rule] = await loadRules(undefined, { derivedFields });
    const set = ruleSet([rule!], 'auto');
    const options = { maxMessageBytes: 1 << 20, prefilter: true, framed: new FramedDecoder(null) };
    for (const [open, close] of [['[', ']'], ['{"a":', '}']] as const) {
      const outcome = await evaluateRecord(deepHit(MAX_NESTING_DEPTH, open, close), set, options);
      expect(outcome.kind).toBe('evaluated');
      if (outcome.kind !== 'evaluated') continue;
      expect(outcome.hits).toHaveLength(1);
      const alert = buildAlert(rule!, alertView(outcome), { topic: 't', partition: 0, offset: '0' }, new Date());
      expect(JSON.stringify(alert).length).toBeGreaterThan(MAX_NESTING_DEPTH);
      expect(await evaluateRecord(deepHit(MAX_NESTING_DEPTH + 1, open, close), set, options)).toMatchObject({ kind: 'invalid', reason: 'too_deep' });
    }
    expect(parseJsonObject(deepHit(100_000))).toMatchObject({ ok: false, reason: 'too_deep' });
  });

  it('refuses a schema-registry payload that decodes too deep', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < MAX_NESTING_DEPTH + 5; i++) deep = { a: deep };
    const registry: RegistryClient = { decode: async () => deep, cache: { getSchema: () => ({ type: 'AVRO' }) } };
    const frame = Buffer.from([0, 0, 0, 0, 7, 1, 2]);
    expect(await new FramedDecoder(registry).decode(frame)).toMatchObject({ ok: false, reason: 'too_deep' });
  });

  it('decodes an event behind a UTF-8 byte-order mark', () => {
    const r = parseJsonObject(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(hit))]));
    expect(r).toMatchObject({ ok: true, doc: hit });
  });
});
