// Alerts and dead letters that would exceed the record size limit are cut down, never retried for ever.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildAlert } from '../../../src/alerts/alert.js';
import { fitAlert, REDUCED_TAG } from '../../../src/alerts/fit.js';
import { derivedFields } from '../../../src/inputs/normalise.js';
import { DLQ_HEADERS, deadLetterRecord } from '../../../src/pipeline/dead-letter.js';
import { loadRules } from '../../../src/rules/loader.js';

const hit = JSON.parse(readFileSync(new URL('../../../sample-data/attacks/ecs.ndjson', import.meta.url), 'utf8').split('\n')[0]!) as Record<string, unknown>;
const source = { topic: 'logs-endpoint.events.file-default', partition: 1, offset: '99' };
const now = new Date('2024-05-06T07:08:09.123Z');

describe('fitAlert', async () => {
  const [rule] = await loadRules(undefined, { derivedFields });

  it('leaves an alert that fits as buildAlert made it', () => {
    const f = fitAlert(rule!, hit, source, now, 1_000_000);
    expect(f.reduced).toBe(false);
    expect(JSON.parse(f.json)).toEqual(buildAlert(rule!, hit, source, now));
  });

  it('keeps the id, the rule fields and the essentials of an event too large for one record, and says so', () => {
    const huge = { ...hit, event: { ...(hit['event'] as object), original: 'x'.repeat(800_000) }, message: 'y'.repeat(400_000), winlog: { blob: 'z'.repeat(100_000) } };
    const full = buildAlert(rule!, huge, source, now);
    expect(Buffer.byteLength(JSON.stringify(full))).toBeGreaterThan(1_000_000);
    const f = fitAlert(rule!, huge, source, now, 1_000_000);
    expect(f.reduced).toBe(true);
    expect(Buffer.byteLength(f.json)).toBeLessThan(20_000);
    expect(f.alert['kibana.alert.uuid']).toBe(full['kibana.alert.uuid']);
    expect(f.alert['kibana.alert.reason']).toBe(full['kibana.alert.reason']);
    expect(f.alert['kibana.alert.workflow_tags']).toEqual([REDUCED_TAG]);
    for (const field of ['file.path', 'file.name', 'file.extension', 'process.name', 'host.name', 'event.category', 'event.type']) {
      expect(f.alert[field] ?? f.alert[`kibana.alert.original_${field}`], field).toBeDefined();
    }
    expect(f.json).not.toContain('xxxx');
  });
});

describe('fitAlert, when even the essentials do not fit', async () => {
  const [rule] = await loadRules(undefined, { derivedFields });
  it('throws, so that the worker dead-letters the record instead of retrying it for ever', () => {
    const huge = { ...hit, message: 'y'.repeat(50_000) };
    expect(() => fitAlert(rule!, huge, source, now, 5_000)).toThrow(/larger than 5000 even with the essential event fields only/);
  });
});

describe('deadLetterRecord', () => {
  it('cuts a value too large for the limit and gives its length in a header', () => {
    const value = Buffer.alloc(2_000_000, 0x61);
    const r = deadLetterRecord('dlq', { topic: 'in', partition: 0 }, { offset: '5', key: Buffer.from('k'), value, timestamp: '0', headers: { h: 'v' } }, 'oversized', 'too big', 1_000_000);
    const headerBytes = Object.entries(r.headers ?? {}).reduce((n, [k, v]) => n + k.length + Buffer.byteLength(v), 0);
    expect((r.value as Buffer).length + headerBytes + 1).toBeLessThanOrEqual(1_000_000);
    expect((r.value as Buffer).equals(value.subarray(0, (r.value as Buffer).length))).toBe(true);
    expect(r.headers?.[DLQ_HEADERS.truncated]).toBe('2000000');
    const small = deadLetterRecord('dlq', { topic: 'in', partition: 0 }, { offset: '5', key: null, value: Buffer.from('abc'), timestamp: '0' }, 'invalid_json', 'x', 1_000_000);
    expect(small.value).toEqual(Buffer.from('abc'));
    expect(small.headers?.[DLQ_HEADERS.truncated]).toBeUndefined();
  });
});
