import zlib from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import * as lz4 from 'lz4-napi';
import * as snappy from 'snappy';
import { createGzipCodec } from '../../src/kafkajs/codecs/gzip-codec';
import { createLz4Codec } from '../../src/kafkajs/codecs/lz4-codec';
import { createSnappyCodec } from '../../src/kafkajs/codecs/snappy-codec';
import { createZstdCodec } from '../../src/kafkajs/codecs/zstd-codec';
import type { KafkaCompressionCodec } from '../../src/kafkajs/codecs/kafka-compression-codec';
import { BatchDecompressionRefusedError, lz4InflatedLength, snappyInflatedLength } from '../../src/shared/decompression-limit';
import { installRecordBatchHooks } from '../../src/shared/record-batch-hooks';

const LIMIT = 1 << 20;
const limit = () => LIMIT;
const zeros = (n: number) => Buffer.alloc(n);

const codecs: [string, KafkaCompressionCodec][] = [
  ['gzip', createGzipCodec(limit)],
  ['zstd', createZstdCodec(limit)],
  ['snappy', createSnappyCodec(snappy, limit)],
  ['lz4', createLz4Codec(lz4, limit)],
];

describe('decompression limit', () => {
  for (const [name, codec] of codecs) {
    it(`when a ${name} batch inflates to exactly the limit, then it decompresses`, async () => {
      const data = Buffer.from('x'.repeat(LIMIT - 300_000) + 'y'.repeat(300_000));
      const compressed = await codec.compress({ buffer: data });
      expect((await codec.decompress(compressed)).equals(data)).toBe(true);
    });

    it(`when a ${name} batch would inflate past the limit, then it is refused with DECOMPRESSION_LIMIT before being held inflated`, async () => {
      const compressed = await codec.compress({ buffer: zeros(8 * LIMIT) });
      const error = await codec.decompress(compressed).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BatchDecompressionRefusedError);
      expect(error).toMatchObject({ code: 'DECOMPRESSION_LIMIT', refusedBatch: true, codec: name, limitBytes: LIMIT, retriable: false });
    });
  }

  it('when a snappy payload is raw or xerial-framed, then its declared length is read without decompressing', async () => {
    const raw = await snappy.compress(zeros(100_000));
    expect(snappyInflatedLength(raw)).toBe(100_000);
    const framed = await createSnappyCodec(snappy, () => Number.MAX_SAFE_INTEGER).compress({ buffer: zeros(100_000) });
    expect(snappyInflatedLength(framed)).toBe(100_000);
  });

  it('when an lz4 frame is read, then what it inflates to is counted exactly from its sequences', () => {
    const text = Buffer.from(Array.from({ length: 40_000 }, (_, i) => `turn ${i % 97} thanks ${i % 13}`).join(' '));
    for (const data of [zeros(1_000_000), text, Buffer.alloc(0)]) expect(lz4InflatedLength(lz4.compressFrameSync(data))).toBe(data.length);
    expect(lz4InflatedLength(Buffer.from([1, 2, 3]))).toBe(Number.POSITIVE_INFINITY);
    expect(lz4InflatedLength(lz4.compressFrameSync(text).subarray(0, 100))).toBe(Number.POSITIVE_INFINITY);
  });

  it('when the patched @platformatic/kafka decompresses through the hooks, then every codec obeys the same limit', () => {
    const hooks = installRecordBatchHooks(LIMIT);
    const big = zeros(4 * LIMIT);
    const inflate = (codec: string) => (p: Buffer) => (codec === 'snappy' ? snappy.uncompressSync(p) as Buffer : lz4.decompressFrameSync(p));
    const payloads: [string, Buffer][] = [
      ['gzip', zlib.gzipSync(big)],
      ['zstd', zlib.zstdCompressSync(big)],
      ['snappy', snappy.compressSync(big)],
      ['lz4', lz4.compressFrameSync(big)],
    ];
    for (const [codec, payload] of payloads) {
      expect(() => hooks.decompressSync(codec, payload, inflate(codec))).toThrow(BatchDecompressionRefusedError);
    }
    const small = Buffer.from('hello');
    expect(hooks.decompressSync('zstd', zlib.zstdCompressSync(small), inflate('zstd')).equals(small)).toBe(true);
  });
});
