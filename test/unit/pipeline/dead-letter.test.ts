import { describe, expect, it } from 'vitest';
import { InFlightLimit } from '../../../src/pipeline/backpressure.js';
import { DLQ_HEADERS, deadLetterRecord } from '../../../src/pipeline/dead-letter.js';

describe('dead-letter record', () => {
  it('keeps the original bytes and headers and names reason and source', () => {
    const value = Buffer.from([0x7b, 0xff, 0x00]);
    const key = Buffer.from('k');
    const r = deadLetterRecord('dlq', { topic: 'in', partition: 3 }, { offset: '42', key, value, timestamp: '1700000000000', headers: { trace: 'abc' } }, 'invalid_utf8', 'x'.repeat(1000), 1_000_000);
    expect(r.topic).toBe('dlq');
    expect(r.key).toBe(key);
    expect(r.value).toBe(value);
    expect(r.headers).toMatchObject({ trace: 'abc', [DLQ_HEADERS.reason]: 'invalid_utf8', [DLQ_HEADERS.topic]: 'in', [DLQ_HEADERS.partition]: '3', [DLQ_HEADERS.offset]: '42' });
    expect(String(r.headers?.[DLQ_HEADERS.error]).length).toBeLessThanOrEqual(300);
  });
});

describe('in-flight limit (back-pressure)', () => {
  it('pauses when full and resumes when acknowledged', async () => {
    const events: string[] = [];
    const limit = new InFlightLimit(10, () => events.push('pause'), () => events.push('resume'));
    await limit.acquire(8);
    let second = false;
    const waiting = limit.acquire(5).then(() => { second = true; });
    await new Promise((r) => setTimeout(r, 10));
    expect(second).toBe(false);
    expect(events).toEqual(['pause']);
    limit.release(8);
    await waiting;
    expect(second).toBe(true);
    expect(events).toEqual(['pause', 'resume']);
    expect(limit.pending).toBe(5);
  });

  it('lets one request larger than the limit through alone', async () => {
    const limit = new InFlightLimit(10, () => undefined, () => undefined);
    await limit.acquire(50);
    expect(limit.pending).toBe(50);
  });
});
