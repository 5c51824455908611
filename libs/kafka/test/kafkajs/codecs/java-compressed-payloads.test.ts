import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import type { KafkaCompressionCodec } from '../../../src/kafkajs/codecs/kafka-compression-codec';
import { registerCompressionCodecs } from '../../../src/kafkajs/codecs/register-compression-codecs';
import { javaCompressedBase64, javaPlaintextSha256 } from './fixtures/java-compressed-fixtures';
import { javaFixturePlaintext } from './fixtures/java-fixture-plaintext';
import { eachTable } from '@sentiment/testing';

// Payloads written by Kafka 3.9's Java client compression streams (see fixtures/GenerateJavaCodecFixtures.java):
// xerial-framed snappy in 32 KiB chunks, LZ4 frames with 64 KiB blocks, streamed zstd without a content size.
registerCompressionCodecs();

const cases = [
  ['snappy', CompressionTypes.Snappy],
  ['lz4', CompressionTypes.LZ4],
  ['zstd', CompressionTypes.ZSTD],
  ['gzip', CompressionTypes.GZIP],
] as const;

describe('payloads compressed by the Kafka Java client', () => {
  const plaintext = javaFixturePlaintext();

  it('when the fixture text is rebuilt here, then it is the text the Java generator compressed', () => {
    expect(createHash('sha256').update(plaintext).digest('hex')).toBe(javaPlaintextSha256);
  });

  it.each(eachTable(cases))('when a %s payload from Java is decompressed, then it is the original text', async (name, type) => {
    const codec = (CompressionCodecs as Record<number, () => KafkaCompressionCodec>)[type]?.();
    if (!codec) throw new Error(`no ${name} codec registered`);
    const output = await codec.decompress(Buffer.from(javaCompressedBase64[name], 'base64'));
    expect(output.equals(plaintext)).toBe(true);
  });
});
