// Compression codecs for record batches. kafkajs ships gzip; Beats and Logstash
// also write snappy, lz4 and zstd. All three here are pure JavaScript or
// WebAssembly, so installing needs no compiler and no download at install time.
import { createRequire } from 'node:module';
import kafkajs from 'kafkajs';
import { decompress as zstdDecompress } from 'fzstd';
import * as zstdWasm from '@bokuweb/zstd-wasm';

const require = createRequire(import.meta.url);
// kafkajs is CommonJS without static named exports for these.
const { CompressionCodecs, CompressionTypes } = kafkajs;

interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

// kafkajs-snappy handles both raw snappy and the Xerial framing of Java producers.
const snappyCodec = require('kafkajs-snappy') as () => Codec;
const lz4 = require('lz4js') as {
  decompress(b: Uint8Array): Uint8Array;
  compressBound(n: number): number;
  compressBlock(src: Uint8Array, dst: Uint8Array, start: number, length: number, hashTable: Uint32Array): number;
};
const xxh32 = require('lz4js/xxh32.js') as { hash(seed: number, src: Uint8Array, index: number, length: number): number };

const toBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

// Kafka's lz4 batches (message format v2) use the standard LZ4 frame format, and
// the broker accepts only frames of independent blocks, which lz4js's own
// compress() does not write. So the frame is assembled here from lz4js blocks.
const LZ4_MAGIC = 0x184d2204;
const LZ4_BLOCK = 64 * 1024; // block maximum size id 4
const LZ4_FLG = 0x60; // version 01, blocks independent, no checksums
const LZ4_BD = 4 << 4;

function lz4Frame(src: Buffer): Buffer {
  const out = Buffer.alloc(7 + Math.ceil(src.length / LZ4_BLOCK) * (4 + lz4.compressBound(LZ4_BLOCK)) + 4);
  out.writeUInt32LE(LZ4_MAGIC, 0);
  out[4] = LZ4_FLG;
  out[5] = LZ4_BD;
  out[6] = (xxh32.hash(0, out, 4, 2) >>> 8) & 0xff;
  let at = 7;
  const block = Buffer.alloc(lz4.compressBound(LZ4_BLOCK));
  for (let from = 0; from < src.length; from += LZ4_BLOCK) {
    const length = Math.min(LZ4_BLOCK, src.length - from);
    // A fresh hash table per block: no match reaches into an earlier block.
    const size = lz4.compressBlock(src, block, from, length, new Uint32Array(1 << 16));
    if (size === 0 || size >= length) {
      out.writeUInt32LE((0x80000000 | length) >>> 0, at);
      src.copy(out, at + 4, from, from + length);
      at += 4 + length;
    } else {
      out.writeUInt32LE(size, at);
      block.copy(out, at + 4, 0, size);
      at += 4 + size;
    }
  }
  out.writeUInt32LE(0, at);
  return out.subarray(0, at + 4);
}

const lz4Codec = (): Codec => ({
  compress: async (encoder) => lz4Frame(encoder.buffer),
  decompress: async (buffer) => toBuffer(lz4.decompress(buffer)),
});

let zstdReady: Promise<void> | null = null;
const ZSTD_LEVEL = 3;

// fzstd decompresses frames whether or not they declare their content size
// (Java's streaming encoder does not); the wasm build of zstd compresses.
const zstdCodec = (): Codec => ({
  compress: async (encoder) => {
    zstdReady ??= zstdWasm.init();
    await zstdReady;
    return toBuffer(zstdWasm.compress(encoder.buffer, ZSTD_LEVEL));
  },
  decompress: async (buffer) => toBuffer(zstdDecompress(buffer)),
});

/** Registers snappy, lz4 and zstd with kafkajs (idempotent; gzip is built in). */
export function registerCodecs(): void {
  const codecs = CompressionCodecs as Record<number, () => Codec>;
  codecs[CompressionTypes.Snappy] = snappyCodec;
  codecs[CompressionTypes.LZ4] = lz4Codec;
  codecs[CompressionTypes.ZSTD] = zstdCodec;
}
