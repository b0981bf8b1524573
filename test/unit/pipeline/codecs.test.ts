import { readFileSync } from 'node:fs';
import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { registerCodecs } from '../../../src/inputs/codecs.js';

const { CompressionCodecs, CompressionTypes } = kafkajs as unknown as {
  CompressionCodecs: Record<number, () => { compress(e: { buffer: Buffer }): Promise<Buffer>; decompress(b: Buffer): Promise<Buffer> }>;
  CompressionTypes: Record<string, number>;
};
// Real events, more than one 64 KiB lz4 block.
const data = readFileSync(new URL('../../../../shared/data/public/otrf-security-datasets/datasets/atomic/windows/persistence/host/proxylogon_ssrf_rce_poc.key-events.ndjson', import.meta.url));

describe('compression codecs', () => {
  registerCodecs();
  for (const name of ['Snappy', 'LZ4', 'ZSTD'] as const) {
    it(`${name} round-trips`, async () => {
      const codec = CompressionCodecs[CompressionTypes[name] as number]!();
      for (const input of [data, data.subarray(0, 10), Buffer.alloc(0), Buffer.alloc(300_000, 0x41)]) {
        const packed = await codec.compress({ buffer: input });
        expect((await codec.decompress(packed)).equals(input)).toBe(true);
      }
    });
  }

  it('writes lz4 frames of independent blocks (what Kafka brokers require)', async () => {
    const packed = await CompressionCodecs[CompressionTypes.LZ4 as number]!().compress({ buffer: data });
    expect(packed.readUInt32LE(0)).toBe(0x184d2204);
    expect(packed[4]! & 0x20).toBe(0x20);
  });
});
