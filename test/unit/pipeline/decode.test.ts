import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  FramedDecoder, RegistryUnavailableError, checkJsonEnvelope, checkSize, isConfluentFrame, parseJsonObject, type RegistryClient,
} from '../../../src/inputs/decode.js';

const OTRF = new URL('../../../../shared/data/public/otrf-security-datasets/datasets/atomic/windows/persistence/host/proxylogon_ssrf_rce_poc.key-events.ndjson', import.meta.url);
const lines = readFileSync(OTRF, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => Buffer.from(l, 'utf8'));

describe('JSON records', () => {
  it('decodes every real OTRF event as an object, unchanged', () => {
    expect(lines.length).toBe(28);
    for (const line of lines) {
      expect(checkSize(line, 1 << 20)).toBeNull();
      expect(checkJsonEnvelope(line)).toBeNull();
      const r = parseJsonObject(line);
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.doc).toEqual(JSON.parse(line.toString('utf8')));
    }
  });

  it('classifies broken records', () => {
    const first = lines[0] as Buffer;
    const truncated = first.subarray(0, first.length - 10);
    expect(checkJsonEnvelope(truncated)?.reason).toBe('invalid_json');
    expect(checkJsonEnvelope(Buffer.from('not json at all'))?.reason).toBe('invalid_json');
    expect(checkJsonEnvelope(Buffer.from('[1,2,3]'))?.reason).toBe('not_an_object');
    expect(checkJsonEnvelope(Buffer.from('"a string"'))?.reason).toBe('not_an_object');
    expect(checkJsonEnvelope(Buffer.from('null'))?.reason).toBe('not_an_object');
    expect(checkJsonEnvelope(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))?.reason).toBe('invalid_utf8');
    // Braces around invalid JSON pass the cheap check; the parser catches it.
    expect(checkJsonEnvelope(Buffer.from('{"a": }'))).toBeNull();
    expect(parseJsonObject(Buffer.from('{"a": }'))).toMatchObject({ ok: false, reason: 'invalid_json' });
  });

  it('accepts blanks and a byte-order mark around an object', () => {
    expect(checkJsonEnvelope(Buffer.from('\ufeff  {"a":1}\n'))).toBeNull();
  });

  it('limits sizes and rejects empty values', () => {
    const first = lines[0] as Buffer;
    expect(checkSize(first, first.length - 1)?.reason).toBe('oversized');
    expect(checkSize(first, first.length)).toBeNull();
    expect(checkSize(null, 10)?.reason).toBe('empty');
    expect(checkSize(Buffer.alloc(0), 10)?.reason).toBe('empty');
  });
});

describe('Confluent wire format', () => {
  const frame = (id: number, payload = "x") => Buffer.concat([Buffer.from([0, (id >>> 24) & 255, (id >>> 16) & 255, (id >>> 8) & 255, id & 255]), Buffer.from(payload)]);

  it('is told from JSON by the magic byte', () => {
    expect(isConfluentFrame(frame(7))).toBe(true);
    expect(isConfluentFrame(lines[0] as Buffer)).toBe(false);
    expect(isConfluentFrame(Buffer.from([0, 1, 2]))).toBe(false);
  });

  const registry = (behaviour: (buf: Buffer) => Promise<unknown>, calls: number[] = []): RegistryClient => ({
    decode: (buf) => { calls.push(buf.readUInt32BE(1)); return behaviour(buf); },
    cache: { getSchema: (id) => (id === 1 ? { type: 'AVRO' } : id === 2 ? { type: 'PROTOBUF' } : undefined) },
  });
  const httpError = (status: number) => Object.assign(new Error(`status ${status}`), { status });

  it('dead-letters frames when no registry is configured', async () => {
    expect(await new FramedDecoder(null).decode(frame(1))).toMatchObject({ ok: false, reason: 'no_registry' });
  });

  it('decodes through the registry and reports the payload format', async () => {
    const d = new FramedDecoder(registry(async () => ({ a: 1 })));
    expect(await d.decode(frame(1))).toEqual({ ok: true, format: 'avro', doc: { a: 1 } });
    const p = new FramedDecoder(registry(async () => ({ toJSON: () => ({ b: 2 }) })));
    expect(await p.decode(frame(2))).toEqual({ ok: true, format: 'protobuf', doc: { b: 2 } });
  });

  it('dead-letters unknown schema ids and remembers them for a while', async () => {
    const calls: number[] = [];
    let now = 0;
    const d = new FramedDecoder(registry(async () => { throw httpError(404); }, calls), () => now);
    expect(await d.decode(frame(99))).toMatchObject({ ok: false, reason: 'unknown_schema' });
    expect(await d.decode(frame(99))).toMatchObject({ ok: false, reason: 'unknown_schema' });
    expect(calls).toEqual([99]);
    now = 120_000;
    await d.decode(frame(99));
    expect(calls).toEqual([99, 99]);
  });

  it('throws (retry, never dead-letter) when the registry is unreachable or failing', async () => {
    const down = new FramedDecoder(registry(async () => { throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8081'), { code: 'ECONNREFUSED' }); }));
    await expect(down.decode(frame(1))).rejects.toBeInstanceOf(RegistryUnavailableError);
    const failing = new FramedDecoder(registry(async () => { throw httpError(503); }));
    await expect(failing.decode(frame(1))).rejects.toBeInstanceOf(RegistryUnavailableError);
  });

  it('dead-letters payloads the schema cannot read, and non-objects', async () => {
    const bad = new FramedDecoder(registry(async () => { throw new Error('truncated buffer'); }));
    expect(await bad.decode(frame(1))).toMatchObject({ ok: false, reason: 'schema_decode_error' });
    const scalar = new FramedDecoder(registry(async () => 'just a string'));
    expect(await scalar.decode(frame(1))).toMatchObject({ ok: false, reason: 'not_an_object' });
  });
});
