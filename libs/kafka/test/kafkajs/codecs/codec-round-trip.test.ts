import { describe, expect, it } from '@jest/globals';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import * as snappy from 'snappy';
import { CompressionFailedError } from '../../../src/shared/codec-errors';
import type { KafkaCompressionCodec } from '../../../src/kafkajs/codecs/kafka-compression-codec';
import { registerCompressionCodecs } from '../../../src/kafkajs/codecs/register-compression-codecs';
import { XERIAL_MAGIC } from '../../../src/shared/xerial-snappy-framing';
import { ONE_MIB, jsonLikeData, randomData } from './codec-test-data';
import { eachTable } from '@sentiment/testing';

registerCompressionCodecs();

const codecs = [
  ['gzip', CompressionTypes.GZIP],
  ['snappy', CompressionTypes.Snappy],
  ['lz4', CompressionTypes.LZ4],
  ['zstd', CompressionTypes.ZSTD],
] as const;

function codecFor(type: CompressionTypes): KafkaCompressionCodec {
  const factory = (CompressionCodecs as Record<number, () => KafkaCompressionCodec>)[type];
  if (!factory) throw new Error(`no codec for ${type}`);
  return factory();
}

async function roundTrip(codec: KafkaCompressionCodec, input: Buffer): Promise<{ compressed: Buffer; output: Buffer }> {
  const compressed = await codec.compress({ buffer: input });
  return { compressed, output: await codec.decompress(compressed) };
}

describe.each(eachTable(codecs))('%s codec through kafkajs CompressionCodecs', (name, type) => {
  const codec = codecFor(type);

  it('when an empty buffer is compressed, then it decompresses to an empty buffer', async () => {
    const { output } = await roundTrip(codec, Buffer.alloc(0));
    expect(output).toHaveLength(0);
  });

  it('when 1 MiB of random bytes is compressed, then it decompresses byte for byte', async () => {
    const input = randomData(ONE_MIB);
    const { output } = await roundTrip(codec, input);
    expect(output.equals(input)).toBe(true);
  });

  it('when 1 MiB of JSON-like text is compressed, then it shrinks and decompresses byte for byte', async () => {
    const input = jsonLikeData(ONE_MIB);
    const { compressed, output } = await roundTrip(codec, input);
    expect(compressed.length).toBeLessThan(input.length / 2);
    expect(output.equals(input)).toBe(true);
  });

  it('when the input is a view into a larger buffer, then only the view is compressed', async () => {
    const backing = jsonLikeData(64 * 1024);
    const view = backing.subarray(1000, 5000);
    const { output } = await roundTrip(codec, view);
    expect(output.equals(view)).toBe(true);
  });

  if (name !== 'gzip') {
    it('when the payload is garbage, then decompress rejects with CompressionFailedError naming the codec', async () => {
      const garbage = Buffer.from('this is not a compressed payload at all, not even close');
      const failure = await codec.decompress(garbage).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(CompressionFailedError);
      expect((failure as CompressionFailedError).codec).toBe(name);
      expect((failure as CompressionFailedError).retriable).toBe(false);
    });
  }
});

describe('snappy codec framing', () => {
  const codec = codecFor(CompressionTypes.Snappy);

  it('when compressing, then it writes the xerial framing the Java producer writes', async () => {
    const compressed = await codec.compress({ buffer: jsonLikeData(100_000) });
    expect(compressed.subarray(0, 8)).toEqual(XERIAL_MAGIC);
  });

  it('when a payload is a bare raw snappy block (librdkafka, kafkajs-snappy), then it decompresses too', async () => {
    const input = jsonLikeData(100_000);
    const output = await codec.decompress(snappy.compressSync(input));
    expect(output.equals(input)).toBe(true);
  });
});
